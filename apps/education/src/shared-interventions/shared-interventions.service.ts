import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { existingSubjectForChild } from '../subjects/child-subjects';
import { SharedInterventionEvent } from './shared-intervention-event.entity';
import type { SharedInterventionsView } from './shared-interventions.dto';

@Injectable()
export class SharedInterventionsService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** What other agencies shared about the child under consent; nothing was delivered without one. */
  async search(personnummer: string): Promise<SharedInterventionsView> {
    const manager = this.dataSource.manager;
    const subject = await existingSubjectForChild(manager, personnummer);
    if (!subject) return { events: [] };
    const rows = await manager.find(SharedInterventionEvent, {
      where: { childSubject: subject },
      order: { occurredAt: 'ASC', eventId: 'ASC' },
    });
    return {
      events: rows.map((row) => ({
        kind: row.kind,
        interventionId: row.interventionId,
        referralId: row.referralId,
        catalogCode: row.catalogCode,
        basis: row.basis,
        unit: { agency: row.unitAgency, unitCode: row.unitCode },
        occurredAt: row.occurredAt.toISOString(),
        endReason: row.endReason,
      })),
    };
  }
}
