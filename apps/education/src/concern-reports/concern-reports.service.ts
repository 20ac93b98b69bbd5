import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { OutboxService } from '@samverkan/messaging';
import { AppError, AppErrorCode, Clock } from '@samverkan/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { assertOwnUnit, callerUnit } from '../common/access';
import { EventFactory } from '../common/event-factory';
import { DirectSql, type SqlQuery } from '../common/direct-sql';
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

@Injectable()
export class ConcernReportsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    private readonly events: EventFactory,
    private readonly db: DirectSql,
    private readonly subjects: SubjectCache,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Stores the report and its concern-report.filed.v1 atomically (or replays an earlier one).
   *
   * The hot path of the hub, so it is ONE statement: the child's subject row, the Idempotency-Key
   * claim, the report and the outbox row are data-modifying CTEs of a single INSERT, which Postgres
   * runs as one implicit transaction (all or nothing, like BEGIN ... COMMIT) in one round trip
   * instead of six. The report and its event are written only when the key was claimed (or none was
   * sent); a key already claimed leaves nothing and is answered from the earlier request. A
   * concurrent request with the same key waits on the key's primary key until this statement
   * commits, then replays.
   *
   * The event carries the child's subject id (its Kafka key and outbox shard), so it is built before
   * the statement with a guess: the subject this process knows for the child (SubjectCache), or a new
   * id for a child it has not seen. The statement creates the subject row for a new child and checks
   * the guess against child_subjects; only if the guess is wrong (a child known to the database but
   * not to this process, or a concurrent first report for the same child) does it write nothing and
   * return the stored subject, and the request runs once more with it.
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
    const { report, filed } = await this.db.connection(async (query) => {
      let subject = this.subjects.get(personnummer) ?? randomUUID();
      for (let attempt = 1; ; attempt++) {
        const outcome = await this.tryFile(query, {
          user,
          request,
          unit,
          id,
          requestHash,
          idempotencyKey,
          subject,
        });
        if (outcome.storedSubject === subject) {
          this.subjects.remember(personnummer, subject);
          return outcome;
        }
        // The guess was wrong: nothing was written. Once more with the stored subject (read afresh
        // if a concurrent first report created it after this statement's snapshot).
        subject =
          outcome.storedSubject ??
          (
            await query<{ subject: string }>(
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
    });
    if (filed) {
      // Committed (the statement is its own transaction): this process's relay sends it now.
      this.outbox.committed();
      return { view: toConcernReportView(report), replayed: false };
    }
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

  /** One attempt of file(): the statement with `subject` as the guess for the child's subject id. */
  private async tryFile(
    query: SqlQuery,
    attempt: {
      user: AuthUser;
      request: FileConcernReportRequest;
      unit: string;
      id: string;
      requestHash: string | null;
      idempotencyKey: string | undefined;
      subject: string;
    },
  ): Promise<{ report: ConcernReport; filed: boolean; storedSubject: string | null }> {
    const { user, request, unit, id, requestHash, idempotencyKey, subject } = attempt;
    // The service's clock (simulated only where CLOCK_OFFSET allows it, never in production), read
    // once a connection is ours: filed when it is being stored, not when it started to wait.
    const filedAt = this.clock.now();
    const report: ConcernReport = {
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
    const contact: { email?: string; phone?: string } = {};
    if (report.reporterEmail !== null) contact.email = report.reporterEmail;
    if (report.reporterPhone !== null) contact.phone = report.reporterPhone;
    const event = this.events.create('samverkan.concern-report.filed.v1', subject, {
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
    });
    const params: unknown[] = [
      IDEMPOTENCY_SCOPE,
      unit,
      idempotencyKey ?? null,
      requestHash,
      id,
      report.childSubject,
      report.childPersonnummer,
      report.childName,
      report.childProtectedIdentity,
      report.reporterRole,
      report.reporterName,
      report.reporterEmail,
      report.reporterPhone,
      report.categories,
      report.description,
      report.immediateDanger,
      report.filedAt,
      report.filedBy,
    ];
    // No NOTIFY: it would serialize these commits (see OutboxStatement.notify); file() wakes this
    // process's relay once the statement has returned, and other relays poll.
    const outbox = this.outbox.statement([event], {
      firstParam: params.length + 1,
      when: '(SELECT ok FROM claimed)',
    });
    // `stored`: the subject on record before this statement, or the one it created; `subject_ok`:
    // the guess ($6) is that subject. Nothing else is written unless it is.
    const rows = await query<{ filed: boolean; stored_subject: string | null }>(
      `WITH existing AS (
         SELECT subject FROM child_subjects WHERE personnummer = $7::varchar
       ), created AS (
         INSERT INTO child_subjects (personnummer, subject)
         SELECT $7::varchar, $6::uuid WHERE NOT EXISTS (SELECT 1 FROM existing)
         ON CONFLICT (personnummer) DO NOTHING
         RETURNING subject
       ), stored AS (
         SELECT subject FROM existing UNION ALL SELECT subject FROM created
       ), subject_ok AS (
         SELECT EXISTS (SELECT 1 FROM stored WHERE subject = $6::uuid) AS ok
       ), claim AS (
         INSERT INTO idempotency_keys (scope, unit_code, idempotency_key, request_hash, resource_id)
         SELECT $1::varchar, $2::varchar, $3::varchar, $4::text, $5::uuid
          WHERE $3::varchar IS NOT NULL AND (SELECT ok FROM subject_ok)
         ON CONFLICT (scope, unit_code, idempotency_key) DO NOTHING
         RETURNING 1
       ), claimed AS (
         SELECT (SELECT ok FROM subject_ok) AND ($3::varchar IS NULL OR EXISTS (SELECT 1 FROM claim)) AS ok
       ), report AS (
         INSERT INTO concern_reports (id, child_subject, child_personnummer, child_name, child_protected_identity,
           school_unit_code, reporter_role, reporter_name, reporter_email, reporter_phone, categories, description,
           immediate_danger, filed_at, filed_by, feedback_status)
         SELECT $5::uuid, $6::uuid, $7::varchar, $8::varchar, $9::boolean, $2::varchar, $10::varchar, $11::varchar,
           $12::varchar, $13::varchar, $14::text[], $15::text, $16::boolean, $17::timestamptz, $18::varchar, 'awaiting'
         WHERE (SELECT ok FROM claimed)
       ), outbox AS (
         ${outbox.insert}
       )
       SELECT (SELECT ok FROM claimed) AS filed, (SELECT subject::text FROM stored LIMIT 1) AS stored_subject`,
      [...params, ...outbox.params],
      // Prepared once per connection: planning this many CTEs cost more than running them.
      'education-file-concern-report',
    );
    return { report, filed: rows[0]?.filed === true, storedSubject: rows[0]?.stored_subject ?? null };
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
