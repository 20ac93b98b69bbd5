import { Inject, Injectable } from '@nestjs/common';
import type { ConcernReportDeadlineOptions } from '@samverkan/calendar';
import type { CloudEvent, ConcernReportFiledV1 } from '@samverkan/contracts';
import { Clock } from '@samverkan/platform';
import { DataSource, type EntityManager } from 'typeorm';
import type { Page } from '../common/pagination.dto';
import { subjectsForChildren } from '../subjects/child-subjects';
import {
  deadlinesFor,
  isViolenceSuspected,
  OVERDUE_KINDS,
  overdueKinds,
  receiptTimeOf,
  type OverdueKind,
} from './intake-deadlines';
import { IntakeItem } from './intake-item.entity';
import type { IntakeItemView, IntakeQuery } from './intake.dto';

export const DEADLINE_OPTIONS = Symbol('DEADLINE_OPTIONS');

export type RegisterOutcome = 'registered' | 'duplicate-report';

type FiledEvent = CloudEvent<'samverkan.concern-report.filed.v1', ConcernReportFiledV1>;

@Injectable()
export class IntakeService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DEADLINE_OPTIONS) private readonly deadlineOptions: ConcernReportDeadlineOptions,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Registers a filed report with its deadlines, inside the consumer kit's inbox transaction. The
   * inbox drops a redelivered event; the report id as primary key drops the same report arriving
   * under another event id (a replay from the dead-letter topic, a router re-run).
   */
  async register(
    manager: EntityManager,
    event: FiledEvent,
    registeredAt: Date = this.clock.now(),
  ): Promise<RegisterOutcome> {
    const [outcome] = await this.registerMany(manager, [event], registeredAt);
    return outcome;
  }

  /**
   * register() for a run of events in two statements (the children's subject ids, then one
   * multi-row INSERT), whatever the run's length: the intake consumer's batch handler. Outcomes in
   * the events' order; of two events for one report, the first registers it.
   */
  async registerMany(
    manager: EntityManager,
    events: readonly FiledEvent[],
    registeredAt: Date = this.clock.now(),
  ): Promise<RegisterOutcome[]> {
    if (events.length === 0) return [];
    const subjects = await subjectsForChildren(
      manager,
      events.map((event) => event.data.child.personnummer),
    );
    const firstOfReport = new Map<string, FiledEvent>();
    for (const event of events) {
      if (!firstOfReport.has(event.data.reportId)) firstOfReport.set(event.data.reportId, event);
    }
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(IntakeItem)
      .values([...firstOfReport.values()].map((event) => this.itemOf(event, subjects, registeredAt)))
      .orIgnore()
      .returning('report_id')
      .execute();
    const registered = new Set((result.raw as Array<{ report_id: string }>).map((row) => row.report_id));
    return events.map((event) =>
      firstOfReport.get(event.data.reportId) === event && registered.has(event.data.reportId)
        ? 'registered'
        : 'duplicate-report',
    );
  }

  private itemOf(
    event: FiledEvent,
    subjects: ReadonlyMap<string, string>,
    registeredAt: Date,
  ): Partial<IntakeItem> {
    const data = event.data;
    const receivedAt = receiptTimeOf(new Date(data.filedAt), registeredAt);
    const deadlines = deadlinesFor(receivedAt, this.deadlineOptions);
    return {
      reportId: data.reportId,
      eventId: event.id,
      subject: subjects.get(data.child.personnummer),
      childPersonnummer: data.child.personnummer,
      childName: data.child.name,
      childProtectedIdentity: data.child.protectedIdentity ?? false,
      reportingSchoolUnitCode: data.reportingUnit.schoolUnitCode,
      reportingMunicipality: data.reportingUnit.municipality,
      reporter: { role: data.reporter.role, name: data.reporter.name, contact: data.reporter.contact },
      categories: data.categories,
      description: data.description,
      immediateDanger: data.immediateDanger,
      violenceSuspected: isViolenceSuspected(data.categories),
      filedAt: new Date(data.filedAt),
      receivedAt,
      receivedOutsideOfficeHours: deadlines.receivedOutsideOfficeHours,
      registeredAt,
      protectionAssessmentDue: deadlines.protectionAssessmentDue,
      decisionDue: deadlines.decisionDue,
    };
  }

  async list(query: IntakeQuery, now: Date = this.clock.now()): Promise<Page<IntakeItemView>> {
    const qb = this.dataSource.getRepository(IntakeItem).createQueryBuilder('i');
    if (query.overdue === true) {
      qb.where(
        '((i.assessed_at IS NULL AND i.protection_assessment_due < :now) OR (i.decided_at IS NULL AND i.decision_due < :now))',
        { now },
      );
    } else if (query.overdue === false) {
      qb.where(
        'NOT ((i.assessed_at IS NULL AND i.protection_assessment_due < :now) OR (i.decided_at IS NULL AND i.decision_due < :now))',
        { now },
      );
    }
    qb.orderBy('i.received_at', 'ASC')
      .addOrderBy('i.report_id', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return {
      items: rows.map((row) => toView(row, now)),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }

  /** Every report about one child, oldest first. */
  async forChild(personnummer: string, now: Date = this.clock.now()): Promise<IntakeItemView[]> {
    const rows = await this.dataSource.getRepository(IntakeItem).find({
      where: { childPersonnummer: personnummer },
      order: { receivedAt: 'ASC', reportId: 'ASC' },
    });
    return rows.map((row) => toView(row, now));
  }

  /** Overdue counts per kind, for the metric; computed in the database at scrape time. */
  async overdueCounts(now: Date = this.clock.now()): Promise<Record<OverdueKind, number>> {
    const [row]: Array<{ assessment: string; decision: string }> = await this.dataSource.query(
      `SELECT
         count(*) FILTER (WHERE assessed_at IS NULL AND protection_assessment_due < $1) AS assessment,
         count(*) FILTER (WHERE decided_at IS NULL AND decision_due < $1) AS decision
       FROM intake_items`,
      [now],
    );
    const counts = { 'protection-assessment': Number(row.assessment), decision: Number(row.decision) };
    return Object.fromEntries(OVERDUE_KINDS.map((k) => [k, counts[k]])) as Record<OverdueKind, number>;
  }
}

export function toView(row: IntakeItem, now: Date): IntakeItemView {
  return {
    reportId: row.reportId,
    child: {
      personnummer: row.childPersonnummer,
      name: row.childName,
      protectedIdentity: row.childProtectedIdentity,
    },
    reportingUnit: { schoolUnitCode: row.reportingSchoolUnitCode, municipality: row.reportingMunicipality },
    categories: row.categories,
    immediateDanger: row.immediateDanger,
    violenceSuspected: row.violenceSuspected,
    investigationOpensDirectly: row.violenceSuspected,
    filedAt: row.filedAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    receivedOutsideOfficeHours: row.receivedOutsideOfficeHours,
    deadlines: {
      protectionAssessmentDue: row.protectionAssessmentDue.toISOString(),
      decisionDue: row.decisionDue.toISOString(),
    },
    protectionAssessment:
      row.assessmentOutcome && row.assessedAt
        ? { outcome: row.assessmentOutcome, assessedAt: row.assessedAt.toISOString() }
        : null,
    decision:
      row.decision && row.decidedAt
        ? { outcome: row.decision, decidedAt: row.decidedAt.toISOString() }
        : null,
    overdue: overdueKinds(row, now),
  };
}
