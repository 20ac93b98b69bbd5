import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { OutboxService } from '@samverkan/messaging';
import { AppError, Clock } from '@samverkan/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { assertOwnUnit, callerUnit } from '../common/access';
import { EventFactory } from '../common/event-factory';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { requestFingerprint } from '../idempotency/idempotency';
import { subjectForChild } from '../subjects/child-subjects';
import { ConcernReport } from './concern-report.entity';
import type { ConcernReportView, FileConcernReportRequest } from './concern-report.dto';
import { toConcernReportView } from './concern-report.view';

export interface FiledReport {
  view: ConcernReportView;
  /** True when an earlier request with the same Idempotency-Key created it. */
  replayed: boolean;
}

@Injectable()
export class ConcernReportsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    private readonly events: EventFactory,
    private readonly idempotency: IdempotencyService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Stores the report and its concern-report.filed.v1 in one transaction (or replays an earlier one). */
  async file(
    user: AuthUser,
    request: FileConcernReportRequest,
    idempotencyKey?: string,
  ): Promise<FiledReport> {
    const unit = assertOwnUnit(user, request.reportingUnit.schoolUnitCode);
    const id = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      const claim = await this.idempotency.claim(
        manager,
        {
          scope: 'concern-report',
          unitCode: unit,
          key: idempotencyKey,
          requestHash: requestFingerprint(request),
        },
        id,
      );
      if (claim.kind === 'replay') {
        const earlier = await manager.findOneByOrFail(ConcernReport, { id: claim.resourceId });
        return { view: toConcernReportView(earlier), replayed: true };
      }
      const subject = await subjectForChild(manager, request.child.personnummer);
      // The service's clock: simulated only where CLOCK_OFFSET allows it (never in production).
      const filedAt = this.clock.now();
      const report = manager.create(ConcernReport, {
        id,
        childSubject: subject,
        childPersonnummer: request.child.personnummer,
        childName: request.child.name,
        childProtectedIdentity: request.child.protectedIdentity ?? false,
        schoolUnitCode: unit,
        reporterRole: request.reporter.role,
        reporterName: request.reporter.name,
        reporterEmail: request.reporter.contact.email ?? null,
        reporterPhone: request.reporter.contact.phone ?? null,
        categories: request.categories,
        description: request.description,
        immediateDanger: request.immediateDanger,
        filedAt,
        filedBy: user.subject,
        feedbackStatus: 'awaiting',
        feedbackReceivedAt: null,
        decidedAt: null,
        feedbackEventId: null,
      });
      await manager.insert(ConcernReport, report);
      const contact: { email?: string; phone?: string } = {};
      if (report.reporterEmail !== null) contact.email = report.reporterEmail;
      if (report.reporterPhone !== null) contact.phone = report.reporterPhone;
      await this.outbox.add(
        manager,
        this.events.create('samverkan.concern-report.filed.v1', subject, {
          reportId: id,
          child: {
            personnummer: report.childPersonnummer,
            name: report.childName,
            protectedIdentity: report.childProtectedIdentity,
          },
          reportingUnit: { schoolUnitCode: unit, municipality: this.events.municipality },
          reporter: { role: report.reporterRole, name: report.reporterName, contact },
          categories: report.categories,
          description: report.description,
          immediateDanger: report.immediateDanger,
          filedAt: filedAt.toISOString(),
        }),
      );
      return { view: toConcernReportView(report), replayed: false };
    });
  }

  /** A report of the caller's own unit; any other report is "not found", whether it exists or not. */
  async get(user: AuthUser, id: string): Promise<ConcernReportView> {
    const report = await this.dataSource.manager.findOneBy(ConcernReport, {
      id,
      schoolUnitCode: callerUnit(user),
    });
    if (!report) throw AppError.notFound('Concern report');
    return toConcernReportView(report);
  }
}
