import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { type OrganisationUnit } from '@samverkan/contracts';
import { OutboxService } from '@samverkan/messaging';
import { AppError, Clock } from '@samverkan/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { actingUnit } from '../common/access';
import { childIdentity, EventFactory } from '../common/event-factory';
import type { Page } from '../common/pagination.dto';
import { checkRecordedAt } from '../common/timestamps';
import { subjectForChild } from '../subjects/child-subjects';
import { extendedDueAt, investigationDueAt, isInvestigationOverdue } from './investigation-deadlines';
import type {
  CloseInvestigationRequest,
  ExtendInvestigationRequest,
  InvestigationQuery,
  InvestigationView,
  OpenInvestigationRequest,
} from './investigation.dto';
import { Investigation } from './investigation.entity';
import { assertCanClose, assertCanExtend, type InvestigationTrigger } from './investigation-rules';

/** What opening needs to know about the child, whichever way the investigation is opened. */
interface Opening {
  trigger: InvestigationTrigger;
  reportId: string | null;
  childPersonnummer: string;
  childProtectedIdentity: boolean;
  openedAt: Date;
  unit: OrganisationUnit;
}

const OVERDUE_SQL = 'i.closed_at IS NULL AND i.due_at < :now';

@Injectable()
export class InvestigationsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(EventFactory) private readonly events: EventFactory,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * The investigation a concern report's decision `investigation-opened` opens, for the decision's
   * own statement to write (ConcernReportsService.decide): the decision and the investigation exist
   * together or not at all. The four months run from the decision. The child's subject is the one
   * the intake gave the report.
   */
  forReport(
    report: { reportId: string; subject: string; childPersonnummer: string; childProtectedIdentity: boolean },
    decidedAt: Date,
    unit: OrganisationUnit,
  ): Investigation {
    return this.rowOf(
      {
        trigger: 'concern-report',
        reportId: report.reportId,
        childPersonnummer: report.childPersonnummer,
        childProtectedIdentity: report.childProtectedIdentity,
        openedAt: decidedAt,
        unit,
      },
      report.subject,
    );
  }

  /** Opened without a report: on an application, or on information that reached the board otherwise. */
  async open(request: OpenInvestigationRequest, user: AuthUser | undefined): Promise<InvestigationView> {
    const unit = actingUnit(user, this.events.municipality);
    const now = this.clock.now();
    const openedAt = request.openedAt ? new Date(request.openedAt) : now;
    checkRecordedAt('openedAt', openedAt, now);
    return this.dataSource.transaction(async (manager) => {
      const row = await this.insert(manager, {
        trigger: request.trigger,
        reportId: null,
        // Normalized to 12 digits by the DTO.
        childPersonnummer: request.child.personnummer,
        childProtectedIdentity: request.child.protectedIdentity ?? false,
        openedAt,
        unit,
      });
      return toView(row, now);
    });
  }

  async get(id: string): Promise<InvestigationView> {
    const row = await this.dataSource.getRepository(Investigation).findOneBy({ id });
    if (!row) throw AppError.notFound('Investigation');
    return toView(row, this.clock.now());
  }

  /** Oldest opening first; `overdue` filters on the deadline in force at the service clock's now. */
  async list(query: InvestigationQuery, now: Date = this.clock.now()): Promise<Page<InvestigationView>> {
    const qb = this.dataSource.getRepository(Investigation).createQueryBuilder('i');
    if (query.overdue === true) qb.andWhere(`(${OVERDUE_SQL})`, { now });
    else if (query.overdue === false) qb.andWhere(`NOT (${OVERDUE_SQL})`, { now });
    if (query.reportId) qb.andWhere('i.report_id = :reportId', { reportId: query.reportId });
    qb.orderBy('i.opened_at', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map((row) => toView(row, now)), page: query.page, pageSize: query.pageSize, total };
  }

  /** Extends the deadline (SoL 11:2, special reasons). Recorded here only: no event carries it. */
  async extend(
    id: string,
    request: ExtendInvestigationRequest,
    user: AuthUser | undefined,
  ): Promise<InvestigationView> {
    const unit = actingUnit(user, this.events.municipality);
    return this.dataSource.transaction(async (manager) => {
      const row = await lockInvestigation(manager, id);
      assertCanClose(row);
      const now = this.clock.now();
      const decidedAt = request.decidedAt ? new Date(request.decidedAt) : now;
      checkRecordedAt('decidedAt', decidedAt, now, {
        at: row.openedAt,
        what: 'the investigation was opened',
      });
      assertCanExtend(row, decidedAt);
      const dueAt = extendedDueAt(request.until);
      if (dueAt.getTime() <= row.dueAt.getTime()) {
        throw AppError.validation([{ field: 'until', message: 'until must be after the current deadline' }]);
      }
      row.extensions = [
        ...row.extensions,
        {
          reason: request.reason,
          until: request.until,
          decidedAt: decidedAt.toISOString(),
          decidedByUnit: unit.unitCode,
        },
      ];
      row.dueAt = dueAt;
      await manager.save(row);
      return toView(row, now);
    });
  }

  /** Closes the investigation and raises investigation.closed.v1, in one transaction. */
  async close(
    id: string,
    request: CloseInvestigationRequest,
    user: AuthUser | undefined,
  ): Promise<InvestigationView> {
    const unit = actingUnit(user, this.events.municipality);
    const closedAt = new Date(request.closedAt);
    return this.dataSource.transaction(async (manager) => {
      const row = await lockInvestigation(manager, id);
      assertCanClose(row);
      const now = this.clock.now();
      checkRecordedAt('closedAt', closedAt, now, { at: row.openedAt, what: 'the investigation was opened' });
      row.outcome = request.outcome;
      row.closedAt = closedAt;
      row.closedByUnit = unit.unitCode;
      await manager.save(row);
      await this.outbox.add(
        manager,
        this.events.create('samverkan.investigation.closed.v1', row.subject, {
          investigationId: row.id,
          ...(row.reportId ? { reportId: row.reportId } : {}),
          child: childIdentity(row.childPersonnummer, row.childProtectedIdentity),
          outcome: request.outcome,
          openedAt: row.openedAt.toISOString(),
          closedAt: closedAt.toISOString(),
          // The unit that conducted it, as recorded at the opening; the closer may be a colleague.
          investigatingUnit: { ...unit, unitCode: row.unitCode },
        }),
      );
      return toView(row, now);
    });
  }

  /** Open investigations past the deadline in force, for the metric; counted in the database at scrape time. */
  async overdueCount(now: Date = this.clock.now()): Promise<number> {
    const [row]: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*) AS n FROM investigations WHERE closed_at IS NULL AND due_at < $1`,
      [now],
    );
    return Number(row.n);
  }

  private async insert(manager: EntityManager, opening: Opening): Promise<Investigation> {
    const row = this.rowOf(opening, await subjectForChild(manager, opening.childPersonnummer));
    await manager.insert(Investigation, row);
    return row;
  }

  private rowOf(opening: Opening, subject: string): Investigation {
    const dueAt = investigationDueAt(opening.openedAt);
    return this.dataSource.manager.create(Investigation, {
      id: randomUUID(),
      reportId: opening.reportId,
      trigger: opening.trigger,
      subject,
      childPersonnummer: opening.childPersonnummer,
      childProtectedIdentity: opening.childProtectedIdentity,
      unitCode: opening.unit.unitCode,
      openedAt: opening.openedAt,
      statutoryDueAt: dueAt,
      dueAt,
      extensions: [],
      outcome: null,
      closedAt: null,
      closedByUnit: null,
    });
  }
}

/** The row, locked for the rest of the transaction so two concurrent closes cannot both pass the check. */
async function lockInvestigation(manager: EntityManager, id: string): Promise<Investigation> {
  const row = await manager
    .getRepository(Investigation)
    .createQueryBuilder('i')
    .setLock('pessimistic_write')
    .where('i.id = :id', { id })
    .getOne();
  if (!row) throw AppError.notFound('Investigation');
  return row;
}

export function toView(row: Investigation, now: Date): InvestigationView {
  return {
    id: row.id,
    reportId: row.reportId,
    trigger: row.trigger,
    child: { personnummer: row.childPersonnummer, protectedIdentity: row.childProtectedIdentity },
    unitCode: row.unitCode,
    openedAt: row.openedAt.toISOString(),
    deadline: {
      statutoryDue: row.statutoryDueAt.toISOString(),
      due: row.dueAt.toISOString(),
      extensions: row.extensions.map((e) => ({ ...e })),
    },
    overdue: isInvestigationOverdue(row, now),
    status: row.closedAt ? 'closed' : 'open',
    outcome: row.outcome,
    closedAt: row.closedAt?.toISOString() ?? null,
  };
}
