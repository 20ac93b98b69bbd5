import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { OutboxService } from '@samverkan/messaging';
import type { CloudEvent, EventMap } from '@samverkan/contracts';
import { AppError, Clock, DirectSql, EntitySql } from '@samverkan/platform';
import { DataSource } from 'typeorm';
import { actingUnit } from '../common/access';
import { childIdentity, EventFactory } from '../common/event-factory';
import { checkRecordedAt } from '../common/timestamps';
import { IntakeItem } from '../intake/intake-item.entity';
import { toView } from '../intake/intake.service';
import { Investigation } from '../investigations/investigation.entity';
import { InvestigationsService } from '../investigations/investigations.service';
import {
  assertCanAssess,
  assertCanDecide,
  CAN_ASSESS_SQL,
  CAN_DECIDE_SQL,
} from './concern-report-transitions';
import type { ConcernReportView, DecisionRequest, ProtectionAssessmentRequest } from './concern-report.dto';

@Injectable()
export class ConcernReportsService {
  private readonly intake: EntitySql<IntakeItem>;
  private readonly investigationSql: EntitySql<Investigation>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DirectSql) private readonly db: DirectSql,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(EventFactory) private readonly events: EventFactory,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(InvestigationsService) private readonly investigations: InvestigationsService,
  ) {
    this.intake = new EntitySql(dataSource, IntakeItem);
    this.investigationSql = new EntitySql(dataSource, Investigation);
  }

  async get(reportId: string): Promise<ConcernReportView> {
    return detailView(await this.read(reportId), this.clock.now());
  }

  /** Records the protection assessment and raises concern-report.protection-assessed.v1, in one statement. */
  async assess(
    reportId: string,
    request: ProtectionAssessmentRequest,
    user: AuthUser | undefined,
  ): Promise<ConcernReportView> {
    const unit = actingUnit(user, this.events.municipality);
    const assessedAt = new Date(request.assessedAt);
    return this.step(reportId, CAN_ASSESS_SQL, (row, now) => {
      assertCanAssess(row);
      checkRecordedAt('assessedAt', assessedAt, now, { at: row.receivedAt, what: 'the report was received' });
      row.assessmentOutcome = request.outcome;
      row.assessedAt = assessedAt;
      row.assessmentNote = request.note ?? null;
      row.assessedByUnit = unit.unitCode;
      return {
        columns: ['assessmentOutcome', 'assessedAt', 'assessmentNote', 'assessedByUnit'],
        event: this.events.create('samverkan.concern-report.protection-assessed.v1', row.subject, {
          reportId: row.reportId,
          child: childIdentity(row.childPersonnummer, row.childProtectedIdentity),
          outcome: request.outcome,
          receivedAt: row.receivedAt.toISOString(),
          assessedAt: assessedAt.toISOString(),
          assessingUnit: unit,
        }),
      };
    });
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
    return this.step(reportId, CAN_DECIDE_SQL, (row, now) => {
      assertCanDecide(row);
      const decidedAt = request.decidedAt ? new Date(request.decidedAt) : now;
      checkRecordedAt('decidedAt', decidedAt, now, { at: row.receivedAt, what: 'the report was received' });
      row.decision = request.decision;
      row.decidedAt = decidedAt;
      row.decidedByUnit = unit.unitCode;
      return {
        columns: ['decision', 'decidedAt', 'decidedByUnit'],
        // The decision to open is the opening: the investigation exists with the decision or not at all.
        investigation:
          request.decision === 'investigation-opened'
            ? this.investigations.forReport(row, decidedAt, unit)
            : undefined,
        event: this.events.create('samverkan.concern-report.decided.v1', row.subject, {
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
      };
    });
  }

  private async read(reportId: string): Promise<IntakeItem> {
    const [raw] = await this.db.query<Record<string, unknown>>(
      `SELECT * FROM ${this.intake.table} WHERE ${this.intake.column('reportId')} = $1`,
      [reportId],
    );
    if (!raw) throw AppError.notFound('Concern report');
    return this.intake.read(raw);
  }

  /**
   * One step on a report (assessment, decision): the report is read and checked, then its changed
   * columns, the step's event (and an investigation it opens) are written in ONE statement that
   * repeats the check in SQL (`guard`), so it writes only while the report is still in the state the
   * check saw. Two round trips and no transaction, instead of BEGIN, a locking read, an UPDATE, an
   * INSERT per table and COMMIT: this runs for every report, twice. When the statement finds the
   * report moved on (a concurrent step won), the report is read and checked again, and the check
   * gives the 409.
   */
  private async step(
    reportId: string,
    guard: string,
    apply: (row: IntakeItem, now: Date) => ReportStep,
  ): Promise<ConcernReportView> {
    for (let attempt = 1; ; attempt++) {
      const row = await this.read(reportId);
      const now = this.clock.now();
      const { columns, event, investigation } = apply(row, now);
      const set = this.intake.assignments(row, columns, 2);
      const parts = [
        `step AS (UPDATE ${this.intake.table} SET ${set.sql} ` +
          `WHERE ${this.intake.column('reportId')} = $1 AND ${guard} RETURNING 1)`,
      ];
      const params: unknown[] = [reportId, ...set.params];
      if (investigation) {
        const insert = this.investigationSql.insertSelect(investigation, params.length + 1);
        parts.push(`investigation AS (${insert.sql} WHERE EXISTS (SELECT 1 FROM step))`);
        params.push(...insert.params);
      }
      // Without a NOTIFY (see OutboxStatement.notify): this process's relay is woken by committed().
      const outbox = this.outbox.statement([event], {
        firstParam: params.length + 1,
        when: 'EXISTS (SELECT 1 FROM step)',
      });
      parts.push(`outbox AS (${outbox.insert})`);
      params.push(...outbox.params);
      const [{ written }] = await this.db.query<{ written: number }>(
        `WITH ${parts.join(', ')} SELECT count(*)::int AS written FROM step`,
        params,
      );
      if (written === 1) {
        this.outbox.committed();
        return detailView(row, now);
      }
      // The check passed on a fresh read, the guard did not: only a check and a guard that disagree.
      if (attempt === 3)
        throw new Error(`A step on concern report ${reportId} passed its check but not its guard`);
    }
  }
}

type StepEvent =
  | CloudEvent<
      'samverkan.concern-report.protection-assessed.v1',
      EventMap['samverkan.concern-report.protection-assessed.v1']
    >
  | CloudEvent<'samverkan.concern-report.decided.v1', EventMap['samverkan.concern-report.decided.v1']>;

/** What a step writes: the report's changed columns, its event, and an investigation it opens. */
interface ReportStep {
  columns: ReadonlyArray<keyof IntakeItem>;
  event: StepEvent;
  investigation?: Investigation;
}

function detailView(row: IntakeItem, now: Date): ConcernReportView {
  return {
    ...toView(row, now),
    description: row.description,
    reporter: row.reporter,
    assessmentNote: row.assessmentNote,
  };
}
