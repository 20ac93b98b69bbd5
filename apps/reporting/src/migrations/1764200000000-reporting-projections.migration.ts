import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Reporting's projections: concern reports, interventions, courses, enrolments, child timeline. */
export class ReportingProjections1764200000000 implements MigrationInterface {
  name = 'ReportingProjections1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "concern_reports" ("report_id" uuid NOT NULL, "pseudonym" character varying(128) NOT NULL, "municipality" character(4) NOT NULL, "district" character varying(64), "unit_code" character varying(64), "reporter_kind" character varying(32), "categories" text, "filed_on" date, "received_on" date, "assessed_same_day" boolean, "assessed_in_time" boolean, "decided_on" date, "decided_in_time" boolean, "days_to_decision" integer, "outcome" character varying(40), "has_reporter" boolean, "feedback_given" boolean, CONSTRAINT "PK_39f3fddc18e20f9b32da0214b97" PRIMARY KEY ("report_id"))`,
    );
    await q.query(`CREATE INDEX "IDX_concern_reports_received_on" ON "concern_reports" ("received_on")`);
    await q.query(
      `CREATE TABLE "interventions" ("intervention_id" uuid NOT NULL, "pseudonym" character varying(128) NOT NULL, "catalog_code" character varying(64) NOT NULL, "basis" character varying(40) NOT NULL, "prevention_level" character varying(16), "agency" character varying(32) NOT NULL, "unit_code" character varying(64) NOT NULL, "municipality" character(4) NOT NULL, "district" character varying(64), "started_on" date NOT NULL, "ended_on" date, "end_reason" character varying(32), "school_year" smallint, CONSTRAINT "PK_89263ff82d11442a4fec45e7541" PRIMARY KEY ("intervention_id"))`,
    );
    await q.query(`CREATE INDEX "IDX_interventions_catalog_code" ON "interventions" ("catalog_code")`);
    await q.query(
      `CREATE TABLE "courses" ("course_id" uuid NOT NULL, "catalog_code" character varying(64) NOT NULL, "unit_code" character varying(64), "municipality" character(4), "district" character varying(64), "capacity" integer, "starts_on" date, "completed_on" date, "summary_enrolled" integer, "summary_completed" integer, "summary_withdrawn" integer, "summary_waitlisted" integer, CONSTRAINT "PK_42dc69837b2e7bc603686ddaf53" PRIMARY KEY ("course_id"))`,
    );
    await q.query(
      `CREATE TABLE "course_enrolments" ("enrollment_id" uuid NOT NULL, "course_id" uuid NOT NULL, "pseudonym" character varying(128) NOT NULL, "enrolled_at" TIMESTAMP WITH TIME ZONE, "waitlisted_at" TIMESTAMP WITH TIME ZONE, "withdrawn_at" TIMESTAMP WITH TIME ZONE, "withdrawn_from_waitlist" boolean, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_1b07061fc5e3713de7032159b18" PRIMARY KEY ("enrollment_id"))`,
    );
    await q.query(`CREATE INDEX "IDX_course_enrolments_course_id" ON "course_enrolments" ("course_id")`);
    await q.query(
      `CREATE TABLE "child_timeline" ("kind" character varying(32) NOT NULL, "ref_id" uuid NOT NULL, "pseudonym" character varying(128) NOT NULL, "municipality" character(4) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "preventive" boolean NOT NULL, CONSTRAINT "PK_f28135d543182651c00c0bfe04f" PRIMARY KEY ("kind", "ref_id"))`,
    );
    await q.query(`CREATE INDEX "IDX_child_timeline_occurred_at" ON "child_timeline" ("occurred_at")`);
    await q.query(`CREATE INDEX "IDX_child_timeline_pseudonym" ON "child_timeline" ("pseudonym")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'child_timeline',
      'course_enrolments',
      'courses',
      'interventions',
      'concern_reports',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
