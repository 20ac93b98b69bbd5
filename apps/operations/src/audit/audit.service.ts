import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthUser } from '@samverkan/auth';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

export const AUDIT_ACTIONS = ['dead-letters.replay', 'dead-letters.discard', 'dead-letters.view-unmasked'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  action: AuditAction;
  consumerGroup?: string;
  targetIds?: string[];
  reason?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  limit: number;
  action?: string;
  groupId?: string;
}

/** Writes and reads the operator audit log. Callers pass their transaction's manager when they have one. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(user: AuthUser, entry: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(AuditEntry, {
      subject: user.subject,
      orgUnit: user.orgUnit,
      agency: user.agency,
      action: entry.action,
      consumerGroup: entry.consumerGroup ?? null,
      targetIds: entry.targetIds ?? [],
      reason: entry.reason ?? null,
      details: (entry.details ?? {}) as AuditEntry['details'] & object,
    });
  }

  async list(query: AuditQuery) {
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a').orderBy('a.at', 'DESC').take(query.limit);
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.groupId) qb.andWhere('a.consumer_group = :group', { group: query.groupId });
    const rows = await qb.getMany();
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        subject: r.subject,
        orgUnit: r.orgUnit,
        agency: r.agency,
        action: r.action,
        groupId: r.consumerGroup,
        targetIds: r.targetIds,
        reason: r.reason,
        details: r.details,
      })),
    };
  }
}
