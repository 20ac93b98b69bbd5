import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { OutboxService } from '@samverkan/messaging';
import { AppError, Clock } from '@samverkan/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { actingUnit } from '../common/access';
import { childIdentity, EventFactory } from '../common/event-factory';
import { checkRecordedAt } from '../common/timestamps';
import { IntakeItem } from '../intake/intake-item.entity';
import { toView } from '../intake/intake.service';
import { InvestigationsService } from '../investigations/investigations.service';
import { assertCanAssess, assertCanDecide } from './concern-report-transitions';
import type { ConcernReportView, DecisionRequest, ProtectionAssessmentRequest } from './concern-report.dto';

@Injectable()
export class ConcernReportsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(EventFactory) private readonly events: EventFactory,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(InvestigationsService) private readonly investigations: InvestigationsService,
  ) {}

  async get(reportId: string): Promise<ConcernReportView> {
    const row = await this.dataSource.getRepository(IntakeItem).findOneBy({ reportId });
    if (!row) throw AppError.notFound('Concern report');
    return detailView(row, this.clock.now());
  }

  /** Records the protection assessment and raises concern-report.protection-assessed.v1, in one transaction. */
  async assess(
    reportId: string,
    request: ProtectionAssessmentRequest,
    user: AuthUser | undefined,
  ): Promise<ConcernReportView> {
    const unit = actingUnit(user, this.events.municipality);
    const assessedAt = new Date(request.assessedAt);
    const view = await this.dataSource.transaction(async (manager) => {
      const row = await lockReport(manager, reportId);
      assertCanAssess(row);
      const now = this.clock.now();
      checkRecordedAt('assessedAt', assessedAt, now, { at: row.receivedAt, what: 'the report was received' });
      row.assessmentOutcome = request.outcome;
      row.assessedAt = assessedAt;
      row.assessmentNote = request.note ?? null;
      row.assessedByUnit = unit.unitCode;
      await updateReport(manager, row, [
        'assessmentOutcome',
        'assessedAt',
        'assessmentNote',
        'assessedByUnit',
      ]);
      await this.outbox.add(
        manager,
        this.events.create('samverkan.concern-report.protection-assessed.v1', row.subject, {
          reportId: row.reportId,
          child: childIdentity(row.childPersonnummer, row.childProtectedIdentity),
          outcome: request.outcome,
          receivedAt: row.receivedAt.toISOString(),
          assessedAt: assessedAt.toISOString(),
          assessingUnit: unit,
        }),
        NO_NOTIFY,
      );
      return detailView(row, now);
    });
    this.outbox.committed();
    return view;
  }

  /**
   * Records the decision and raises concern-report.decided.v1 with the reporter's unit, which is
   * where the router sends the only feedback the law allows (report id, outcome, date). The decision
   * investigation-opened also opens the investigation (GET /investigations?reportId=).
   */
  async decide(
    reportId: string,
    request: DecisionRequest,
    user: AuthUser | undefined,
  ): Promise<ConcernReportView> {
    const unit = actingUnit(user, this.events.municipality);
    const view = await this.dataSource.transaction(async (manager) => {
      const row = await lockReport(manager, reportId);
      assertCanDecide(row);
      const now = this.clock.now();
      const decidedAt = request.decidedAt ? new Date(request.decidedAt) : now;
      checkRecordedAt('decidedAt', decidedAt, now, { at: row.receivedAt, what: 'the report was received' });
      row.decision = request.decision;
      row.decidedAt = decidedAt;
      row.decidedByUnit = unit.unitCode;
      await updateReport(manager, row, ['decision', 'decidedAt', 'decidedByUnit']);
      // The decision to open is the opening: the investigation exists with the decision or not at all.
      if (request.decision === 'investigation-opened') {
        await this.investigations.openForReport(manager, row, decidedAt, unit);
      }
      await this.outbox.add(
        manager,
        this.events.create('samverkan.concern-report.decided.v1', row.subject, {
          reportId: row.reportId,
          child: childIdentity(row.childPersonnummer, row.childProtectedIdentity),
          outcome: request.decision,
          receivedAt: row.receivedAt.toISOString(),
          decidedAt: decidedAt.toISOString(),
          decidingUnit: unit,
          // Every report in the intake came through the hub from a school or preschool unit.
          reporterUnit: {
            agency: 'education',
            unitCode: row.reportingSchoolUnitCode,
            municipality: row.reportingMunicipality,
          },
        }),
        NO_NOTIFY,
      );
      return detailView(row, now);
    });
    this.outbox.committed();
    return view;
  }
}

/**
 * Assessments and decisions come in at the rate reports do. Without a NOTIFY their commits are not
 * serialized (see OutboxStatement.notify); this process's relay is woken after the commit
 * (committed()), other instances' relays poll.
 */
const NO_NOTIFY = { notify: false } as const;

/**
 * Writes the changed columns of the locked row: one UPDATE (save() would read the row once more to
 * find what changed).
 */
async function updateReport(
  manager: EntityManager,
  row: IntakeItem,
  columns: ReadonlyArray<keyof IntakeItem>,
): Promise<void> {
  const changes: Partial<IntakeItem> = {};
  for (const column of columns) (changes as Record<string, unknown>)[column] = row[column];
  await manager.update(IntakeItem, { reportId: row.reportId }, changes);
}

/** The row, locked for the rest of the transaction so two concurrent decisions cannot both pass the check. */
async function lockReport(manager: EntityManager, reportId: string): Promise<IntakeItem> {
  const row = await manager
    .getRepository(IntakeItem)
    .createQueryBuilder('i')
    .setLock('pessimistic_write')
    .where('i.report_id = :reportId', { reportId })
    .getOne();
  if (!row) throw AppError.notFound('Concern report');
  return row;
}

function detailView(row: IntakeItem, now: Date): ConcernReportView {
  return {
    ...toView(row, now),
    description: row.description,
    reporter: row.reporter,
    assessmentNote: row.assessmentNote,
  };
}
