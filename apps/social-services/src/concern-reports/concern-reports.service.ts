import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { OutboxService } from '@samverkan/messaging';
import type { CloudEvent, EventMap } from '@samverkan/contracts';
import { AppError, Clock, DirectSql, EntitySql, GroupCommit } from '@samverkan/platform';
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
  private readonly assessments: GroupCommit<StepRequest, StepOutcome>;
  private readonly decisions: GroupCommit<StepRequest, StepOutcome>;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(DirectSql) private readonly db: DirectSql,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(EventFactory) private readonly events: EventFactory,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(InvestigationsService) private readonly investigations: InvestigationsService,
  ) {
    this.intake = new EntitySql(dataSource, IntakeItem);
    this.investigationSql = new EntitySql(dataSource, Investigation);
    this.assessments = this.stepWriter(CAN_ASSESS_SQL);
    this.decisions = this.stepWriter(CAN_DECIDE_SQL);
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
    return this.step(this.assessments, reportId, (row, now) => {
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
    return this.step(this.decisions, reportId, (row, now) => {
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
   * One step on a report (assessment, decision). The report is read and checked, then its changed
   * columns, the step's event (and an investigation it opens) are written in ONE statement that
   * repeats the check in SQL, so it writes only while the report is still in the state the check
   * saw. No transaction: a read and a write instead of BEGIN, a locking read, an UPDATE, an INSERT
   * per table and COMMIT, for every report twice. Concurrent steps of one kind share the read and
   * the write (a group commit, see stepWriter). When the write finds the report moved on (a
   * concurrent step won), the step goes again, and the check on the fresh read gives the 409.
   */
  private async step(
    writer: GroupCommit<StepRequest, StepOutcome>,
    reportId: string,
    apply: (row: IntakeItem, now: Date) => ReportStep,
  ): Promise<ConcernReportView> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await writer.submit({ reportId, apply });
      switch (outcome.kind) {
        case 'written':
          this.outbox.committed();
          return outcome.view;
        case 'refused':
          throw outcome.error;
        case 'moved':
          // The check passed on a fresh read, the guard did not: only a check and a guard that disagree.
          if (attempt === 3)
            throw new Error(`A step on concern report ${reportId} passed its check but not its guard`);
      }
    }
  }

  /**
   * The group commit of one kind of step. At most STEP_STATEMENTS_IN_FLIGHT writes run at once;
   * steps arriving meanwhile queue and go together in the next (at most STEP_BATCH, one per report):
   * under load one read, one write and one commit serve many requests, on a quiet system a step
   * goes at once, alone.
   */
  private stepWriter(guard: string): GroupCommit<StepRequest, StepOutcome> {
    return new GroupCommit<StepRequest, StepOutcome>({
      maxInFlight: STEP_STATEMENTS_IN_FLIGHT,
      maxBatch: STEP_BATCH,
      keysOf: (request) => [request.reportId],
      write: (requests) => this.writeSteps(requests, guard),
    });
  }

  /** Reads the batch's reports, applies each step, and writes those that passed their check. */
  private async writeSteps(requests: readonly StepRequest[], guard: string): Promise<StepOutcome[]> {
    const reportId = this.intake.column('reportId');
    const raws = await this.db.query<Record<string, unknown>>(
      `SELECT * FROM ${this.intake.table} WHERE ${reportId} = ANY($1::uuid[])`,
      [requests.map((r) => r.reportId)],
    );
    const rows = new Map(raws.map((raw) => this.intake.read(raw)).map((row) => [row.reportId, row]));
    const now = this.clock.now();
    const outcomes: StepOutcome[] = [];
    const steps: Array<{ index: number; row: IntakeItem; step: ReportStep }> = [];
    requests.forEach((request, index) => {
      const row = rows.get(request.reportId);
      if (!row) {
        outcomes[index] = { kind: 'refused', error: AppError.notFound('Concern report') };
        return;
      }
      try {
        steps.push({ index, row, step: request.apply(row, now) });
      } catch (error) {
        // The step's own check (409, 400): this request's answer, not the batch's failure.
        outcomes[index] = { kind: 'refused', error };
      }
    });
    if (steps.length > 0) {
      const written = await this.writeStepRows(steps, guard);
      for (const { index, row } of steps) {
        outcomes[index] = written.has(row.reportId)
          ? { kind: 'written', view: detailView(row, now) }
          : { kind: 'moved' };
      }
    }
    return outcomes;
  }

  /**
   * The steps' changed columns, events and investigations in ONE statement, set-based over arrays:
   * the UPDATE writes only the reports still passing `guard`, and only their events and
   * investigations follow. Answers the reports written.
   */
  private async writeStepRows(
    steps: ReadonlyArray<{ row: IntakeItem; step: ReportStep }>,
    guard: string,
  ): Promise<Set<string>> {
    const reportId = this.intake.column('reportId');
    const table = this.intake.table;
    // Every step of one writer changes the same columns.
    const columns = steps[0].step.columns;
    const input = this.intake.arrays(
      steps.map((s) => s.row),
      ['reportId', ...columns],
      1,
      'input',
    );
    const set = columns.map((column) => `${this.intake.column(column)} = ${input.ref(column)}`).join(', ');
    const parts = [
      `step AS (UPDATE ${table} SET ${set} FROM ${input.sql} ` +
        `WHERE ${table}.${reportId} = ${input.ref('reportId')} AND ${guard} RETURNING ${table}.${reportId} AS report_id)`,
    ];
    const params: unknown[] = [...input.params];
    const investigations = steps.flatMap((s) => (s.step.investigation ? [s.step.investigation] : []));
    if (investigations.length > 0) {
      const insert = this.investigationSql.insertArrays(investigations, params.length + 1, 'opened');
      parts.push(
        `investigation AS (${insert.sql} WHERE ${insert.ref('reportId')} IN (SELECT report_id FROM step))`,
      );
      params.push(...insert.params);
    }
    const pairs = params.length + 1;
    params.push(
      steps.map((s) => s.row.reportId),
      steps.map((s) => s.step.event.id),
    );
    // Without a NOTIFY (see OutboxStatement.notify): this process's relay is woken by committed().
    const outbox = this.outbox.setStatement(
      steps.map((s) => s.step.event),
      {
        firstParam: params.length + 1,
        eventIds:
          `(SELECT e.id FROM unnest($${pairs}::uuid[], $${pairs + 1}::uuid[]) AS e (report_id, id) ` +
          'WHERE e.report_id IN (SELECT report_id FROM step))',
      },
    );
    parts.push(`outbox AS (${outbox.insert})`);
    params.push(...outbox.params);
    const rows = await this.db.query<{ report_id: string }>(
      `WITH ${parts.join(', ')} SELECT report_id::text FROM step`,
      params,
    );
    return new Set(rows.map((row) => row.report_id));
  }
}

/**
 * Step statements of one kind at most in flight at once, and steps at most in one. The bench's
 * decision driver keeps 24 requests open: two writes in flight let one batch fill while the other
 * runs.
 */
const STEP_STATEMENTS_IN_FLIGHT = 2;
const STEP_BATCH = 50;

interface StepRequest {
  reportId: string;
  apply: (row: IntakeItem, now: Date) => ReportStep;
}

type StepOutcome =
  { kind: 'written'; view: ConcernReportView } | { kind: 'refused'; error: unknown } | { kind: 'moved' };

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
