import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { OutboxService } from '@samverkan/messaging';
import { AppError, AppErrorCode, Clock, DirectSql, GroupCommit } from '@samverkan/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { assertOwnUnit, callerUnit } from '../common/access';
import { EventFactory } from '../common/event-factory';
import { EDUCATION_ENV } from '../common/education.tokens';
import type { EducationEnv } from '../config/education.env';
import { FilingMetrics } from '../metrics/filing-metrics';
import { decideOnSeenKey, idempotencyKeyReused, requestFingerprint } from '../idempotency/idempotency';
import { SubjectCache } from '../subjects/subject-cache';
import { ConcernReport } from './concern-report.entity';
import type { ConcernReportView, FileConcernReportRequest } from './concern-report.dto';
import { toConcernReportView } from './concern-report.view';

/** The Idempotency-Key scope of a concern report (see IdempotencyService). */
const IDEMPOTENCY_SCOPE = 'concern-report';

export interface FiledReport {
  view: ConcernReportView;
  /** True when an earlier request with the same Idempotency-Key created it. */
  replayed: boolean;
}

/** One request's try at filing, with a guess of the child's subject id. */
interface FilingAttempt {
  user: AuthUser;
  request: FileConcernReportRequest;
  unit: string;
  id: string;
  requestHash: string | null;
  idempotencyKey: string | undefined;
  subject: string;
}

interface FilingOutcome {
  report: ConcernReport;
  /** Written now (false: the guessed subject was wrong, or the Idempotency-Key was taken). */
  filed: boolean;
  /** The child's subject on record (null: created concurrently, after the statement's snapshot). */
  storedSubject: string | null;
}

/** Reports at most in one statement: bounds its parameters (and a failed batch's rerun). */
const MAX_REPORTS_PER_STATEMENT = 100;

@Injectable()
export class ConcernReportsService {
  private readonly filing: GroupCommit<FilingAttempt, FilingOutcome>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    private readonly events: EventFactory,
    private readonly db: DirectSql,
    private readonly subjects: SubjectCache,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(EDUCATION_ENV) env: EducationEnv,
    @Inject(FilingMetrics) metrics: FilingMetrics,
  ) {
    this.filing = new GroupCommit({
      maxInFlight: env.CONCERN_REPORT_WRITERS,
      maxBatch: MAX_REPORTS_PER_STATEMENT,
      write: (attempts) => this.writeAll(attempts),
      // Set-based, the statement must not meet its own rows: one child and one key per statement.
      keysOf: (attempt) =>
        attempt.idempotencyKey === undefined
          ? [attempt.request.child.personnummer]
          : [attempt.request.child.personnummer, `key:${attempt.unit}:${attempt.idempotencyKey}`],
      observe: (statement) => metrics.statement(statement),
    });
    metrics.trackQueue(() => this.filing.queued);
  }

  /** Reports waiting for a statement (all CONCERN_REPORT_WRITERS are busy). */
  get queuedReports(): number {
    return this.filing.queued;
  }

  /**
   * Stores the report and its concern-report.filed.v1 atomically (or replays an earlier one).
   *
   * The hot path of the hub. Concurrent requests are written together (GroupCommit): at most
   * CONCERN_REPORT_WRITERS statements run at once, and each carries every request that queued
   * meanwhile. A statement is ONE INSERT whose data-modifying CTEs write, per request, the child's
   * subject row, the Idempotency-Key claim, the report and the outbox row; Postgres runs it as one
   * implicit transaction (all or nothing, like BEGIN ... COMMIT), in one round trip. Each request's
   * report and event are written only when its key was claimed (or none was sent); a key already
   * claimed leaves nothing for that request, which is answered from the earlier one. A concurrent
   * request with the same key waits on the key's primary key until the other statement commits,
   * then replays. Requests about one child, or with one key, never share a statement.
   *
   * The event carries the child's subject id (its Kafka key and outbox shard), so it is built before
   * the statement with a guess: the subject this process knows for the child (SubjectCache), or a new
   * id for a child it has not seen. The statement creates the subject row for a new child and checks
   * the guess against child_subjects; only if the guess is wrong (a child known to the database but
   * not to this process, or a concurrent first report for the same child) does it write nothing for
   * that request and return the stored subject, and the request goes once more with it.
   */
  async file(
    user: AuthUser,
    request: FileConcernReportRequest,
    idempotencyKey?: string,
  ): Promise<FiledReport> {
    const unit = assertOwnUnit(user, request.reportingUnit.schoolUnitCode);
    const id = randomUUID();
    const requestHash = idempotencyKey === undefined ? null : requestFingerprint(request);
    const personnummer = request.child.personnummer;
    let subject = this.subjects.get(personnummer) ?? randomUUID();
    let outcome: FilingOutcome;
    for (let attempt = 1; ; attempt++) {
      outcome = await this.filing.submit({ user, request, unit, id, requestHash, idempotencyKey, subject });
      if (outcome.storedSubject === subject) {
        this.subjects.remember(personnummer, subject);
        break;
      }
      // The guess was wrong: nothing was written. Once more with the stored subject (read afresh
      // if a concurrent first report created it after this statement's snapshot).
      subject =
        outcome.storedSubject ??
        (
          await this.db.query<{ subject: string }>(
            'SELECT subject::text FROM child_subjects WHERE personnummer = $1',
            [personnummer],
          )
        )[0]?.subject ??
        randomUUID();
      if (attempt >= 3) {
        // A child's subject never changes once stored; this is not reached unless that breaks.
        throw new AppError(AppErrorCode.CONFLICT, 'The child record changed while filing; try again');
      }
    }
    if (outcome.filed) return { view: toConcernReportView(outcome.report), replayed: false };
    // The key was claimed before: the same request gets what it created, another one a 409.
    const seen = await this.db.query<{ request_hash: string; resource_id: string }>(
      `SELECT request_hash, resource_id FROM idempotency_keys
        WHERE scope = $1 AND unit_code = $2 AND idempotency_key = $3`,
      [IDEMPOTENCY_SCOPE, unit, idempotencyKey],
    );
    const decision = decideOnSeenKey(
      { requestHash: seen[0].request_hash, resourceId: seen[0].resource_id },
      requestHash as string,
    );
    if (decision.kind === 'conflict') throw idempotencyKeyReused();
    const earlier = await this.dataSource.manager.findOneByOrFail(ConcernReport, { id: decision.resourceId });
    return { view: toConcernReportView(earlier), replayed: true };
  }

  /** One statement for the requests of a group commit, each with its guess of the child's subject. */
  private async writeAll(attempts: readonly FilingAttempt[]): Promise<FilingOutcome[]> {
    // The service's clock (simulated only where CLOCK_OFFSET allows it, never in production), read
    // once the statement is about to run: filed when it is being stored, not when it started to wait.
    const filedAt = this.clock.now();
    const reports = attempts.map((attempt) => this.reportOf(attempt, filedAt));
    const events = reports.map((report) => this.filedEventOf(report));
    const column = <T>(of: (report: ConcernReport, i: number) => T): T[] => reports.map(of);
    const params: unknown[] = [
      IDEMPOTENCY_SCOPE,
      column((r) => r.schoolUnitCode),
      column((_, i) => attempts[i].idempotencyKey ?? null),
      column((_, i) => attempts[i].requestHash),
      column((r) => r.id),
      column((r) => r.childSubject),
      column((r) => r.childPersonnummer),
      column((r) => r.childName),
      column((r) => r.childProtectedIdentity),
      column((r) => r.reporterRole),
      column((r) => r.reporterName),
      column((r) => r.reporterEmail),
      column((r) => r.reporterPhone),
      // One text per report: node-pg has no arrays of arrays of different lengths. The codes are
      // from a fixed list (validated) without commas.
      column((r) => r.categories.join(',')),
      column((r) => r.description),
      column((r) => r.immediateDanger),
      column((r) => r.filedAt),
      column((r) => r.filedBy),
      events.map((event) => event.id),
    ];
    // No NOTIFY: it would serialize these commits (see OutboxStatement.notify); the relay of this
    // process is woken once the statement has returned, and other relays poll.
    const outbox = this.outbox.setStatement(events, {
      firstParam: params.length + 1,
      eventIds: '(SELECT event_id FROM accepted)',
    });
    // Per request: `stored_subject` is the subject on record before this statement, or the one it
    // created; the request's rows are written only when its guess (`subject`) is that subject and
    // its key (if any) was claimed here.
    const rows = await this.db.connection((query) =>
      query<{ id: string; filed: boolean; stored_subject: string | null }>(
        `WITH input AS (
           SELECT * FROM unnest($2::varchar[], $3::varchar[], $4::text[], $5::uuid[], $6::uuid[], $7::varchar[],
             $8::varchar[], $9::boolean[], $10::varchar[], $11::varchar[], $12::varchar[], $13::varchar[], $14::text[],
             $15::text[], $16::boolean[], $17::timestamptz[], $18::varchar[], $19::uuid[])
             AS i (unit, idempotency_key, request_hash, id, subject, personnummer, child_name, protected_identity,
               reporter_role, reporter_name, reporter_email, reporter_phone, categories, description, immediate_danger,
               filed_at, filed_by, event_id)
         ), existing AS (
           -- = ANY of the array, not IN (SELECT ... FROM input): the planner knows nothing of the
           -- unnest and, with no statistics, hash-joined it to a scan of every child on record.
           SELECT c.personnummer, c.subject FROM child_subjects c WHERE c.personnummer = ANY($7::varchar[])
         ), created AS (
           INSERT INTO child_subjects (personnummer, subject)
           SELECT i.personnummer, i.subject FROM input i
            WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.personnummer = i.personnummer)
            ORDER BY i.personnummer
           ON CONFLICT (personnummer) DO NOTHING
           RETURNING personnummer, subject
         ), stored AS (
           SELECT personnummer, subject FROM existing UNION ALL SELECT personnummer, subject FROM created
         ), checked AS (
           SELECT i.*, s.subject AS stored_subject FROM input i LEFT JOIN stored s ON s.personnummer = i.personnummer
         ), claim AS (
           INSERT INTO idempotency_keys (scope, unit_code, idempotency_key, request_hash, resource_id)
           SELECT $1::varchar, c.unit, c.idempotency_key, c.request_hash, c.id FROM checked c
            WHERE c.idempotency_key IS NOT NULL AND c.stored_subject = c.subject
            ORDER BY c.unit, c.idempotency_key
           ON CONFLICT (scope, unit_code, idempotency_key) DO NOTHING
           RETURNING resource_id
         ), accepted AS (
           SELECT c.* FROM checked c
            WHERE c.stored_subject = c.subject
              AND (c.idempotency_key IS NULL OR c.id IN (SELECT resource_id FROM claim))
         ), report AS (
           INSERT INTO concern_reports (id, child_subject, child_personnummer, child_name, child_protected_identity,
             school_unit_code, reporter_role, reporter_name, reporter_email, reporter_phone, categories, description,
             immediate_danger, filed_at, filed_by, feedback_status)
           SELECT a.id, a.subject, a.personnummer, a.child_name, a.protected_identity, a.unit, a.reporter_role,
             a.reporter_name, a.reporter_email, a.reporter_phone, string_to_array(a.categories, ','), a.description,
             a.immediate_danger, a.filed_at, a.filed_by, 'awaiting'
             FROM accepted a
         ), outbox AS (
           ${outbox.insert}
         )
         SELECT c.id::text AS id, c.id IN (SELECT id FROM accepted) AS filed, c.stored_subject::text AS stored_subject
           FROM checked c`,
        [...params, ...outbox.params],
        // Prepared once per connection (the text is the same for any number of reports): planning
        // this many CTEs costs more than running them.
        'education-file-concern-reports',
      ),
    );
    if (rows.some((row) => row.filed)) {
      // Committed (the statement is its own transaction): this process's relay sends them now.
      this.outbox.committed();
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    return reports.map((report) => {
      const row = byId.get(report.id);
      return { report, filed: row?.filed === true, storedSubject: row?.stored_subject ?? null };
    });
  }

  private reportOf(attempt: FilingAttempt, filedAt: Date): ConcernReport {
    const { user, request, unit, id, subject } = attempt;
    return {
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
    };
  }

  private filedEventOf(report: ConcernReport) {
    const contact: { email?: string; phone?: string } = {};
    if (report.reporterEmail !== null) contact.email = report.reporterEmail;
    if (report.reporterPhone !== null) contact.phone = report.reporterPhone;
    return this.events.create('samverkan.concern-report.filed.v1', report.childSubject, {
      reportId: report.id,
      child: {
        personnummer: report.childPersonnummer,
        name: report.childName,
        protectedIdentity: report.childProtectedIdentity,
      },
      reportingUnit: { schoolUnitCode: report.schoolUnitCode, municipality: this.events.municipality },
      reporter: { role: report.reporterRole, name: report.reporterName, contact },
      categories: report.categories,
      description: report.description,
      immediateDanger: report.immediateDanger,
      filedAt: report.filedAt.toISOString(),
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
