import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Education's own tables: child subject ids, idempotency keys, concern reports with their feedback,
 * consents, absence flags and the intervention events shared under consent. Written from what TypeORM
 * derives from the entities, so the drift test finds nothing to change.
 */
export class EducationSchema1764100000000 implements MigrationInterface {
  name = 'EducationSchema1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "concern_reports" ("id" uuid NOT NULL, "child_subject" uuid NOT NULL, "child_personnummer" character varying(12) NOT NULL, "child_name" character varying(200) NOT NULL, "child_protected_identity" boolean NOT NULL DEFAULT false, "school_unit_code" character varying(8) NOT NULL, "reporter_role" character varying(40) NOT NULL, "reporter_name" character varying(200) NOT NULL, "reporter_email" character varying(254), "reporter_phone" character varying(32), "categories" text array NOT NULL, "description" text NOT NULL, "immediate_danger" boolean NOT NULL, "filed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "filed_by" character varying(255) NOT NULL, "feedback_status" character varying(40) NOT NULL DEFAULT 'awaiting', "feedback_received_at" TIMESTAMP WITH TIME ZONE, "decided_at" TIMESTAMP WITH TIME ZONE, "feedback_event_id" uuid, CONSTRAINT "PK_9430b4f1f6d2bbb86ee52ac5f17" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_concern_reports_unit_filed" ON "concern_reports" ("school_unit_code", "filed_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "consents" ("id" uuid NOT NULL, "child_subject" uuid NOT NULL, "child_personnummer" character varying(12) NOT NULL, "child_name" character varying(200), "child_protected_identity" boolean NOT NULL DEFAULT false, "parties" text array NOT NULL, "information_kinds" text array NOT NULL, "purpose" character varying(40) NOT NULL, "purpose_description" text, "valid_from" date NOT NULL, "valid_to" date NOT NULL, "granted_by" character varying(40) NOT NULL, "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_by_unit" character varying(64) NOT NULL, "recorded_by" character varying(255) NOT NULL, "withdrawn_at" TIMESTAMP WITH TIME ZONE, "withdrawn_by" character varying(255), CONSTRAINT "PK_9efc68eb6aba7d638fb6ea034dd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_consents_child_subject" ON "consents" ("child_subject") `);
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("scope" character varying(40) NOT NULL, "unit_code" character varying(64) NOT NULL, "idempotency_key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "resource_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4f9fc2fb08ee94373b01b235c8f" PRIMARY KEY ("scope", "unit_code", "idempotency_key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "school_absence_flags" ("id" uuid NOT NULL, "child_subject" uuid NOT NULL, "child_personnummer" character varying(12) NOT NULL, "child_name" character varying(200), "child_protected_identity" boolean NOT NULL DEFAULT false, "school_unit_code" character varying(8) NOT NULL, "period_from" date NOT NULL, "period_to" date NOT NULL, "absence_rate" double precision NOT NULL, "unexcused_rate" double precision, "school_year" smallint, "flagged_at" TIMESTAMP WITH TIME ZONE NOT NULL, "flagged_by" character varying(255) NOT NULL, CONSTRAINT "PK_7c5635cbf689ba28a620e045c28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_school_absence_flags_unit" ON "school_absence_flags" ("school_unit_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "shared_intervention_events" ("event_id" uuid NOT NULL, "child_subject" uuid NOT NULL, "kind" character varying(16) NOT NULL, "intervention_id" uuid NOT NULL, "referral_id" uuid, "catalog_code" character varying(64) NOT NULL, "basis" character varying(64) NOT NULL, "unit_agency" character varying(32) NOT NULL, "unit_code" character varying(64) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "end_reason" character varying(32), "legal_basis" character varying(200), "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d5a006e320e568c6a8169020152" PRIMARY KEY ("event_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_shared_intervention_events_child" ON "shared_intervention_events" ("child_subject", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "child_subjects" ("personnummer" character varying(12) NOT NULL, "subject" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_9065b77ebd06a8c36007ed7a102" UNIQUE ("subject"), CONSTRAINT "PK_c8fc0eadd772832c10c42c7990f" PRIMARY KEY ("personnummer"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "child_subjects"`);
    await queryRunner.query(`DROP INDEX "public"."idx_shared_intervention_events_child"`);
    await queryRunner.query(`DROP TABLE "shared_intervention_events"`);
    await queryRunner.query(`DROP INDEX "public"."idx_school_absence_flags_unit"`);
    await queryRunner.query(`DROP TABLE "school_absence_flags"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP INDEX "public"."idx_consents_child_subject"`);
    await queryRunner.query(`DROP TABLE "consents"`);
    await queryRunner.query(`DROP INDEX "public"."idx_concern_reports_unit_filed"`);
    await queryRunner.query(`DROP TABLE "concern_reports"`);
  }
}
