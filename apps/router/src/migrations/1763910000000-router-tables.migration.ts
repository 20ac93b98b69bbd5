import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The router's consent state and disclosure log. Neither holds a personnummer: children are the
 * router's internal keyed pseudonym (see RouterKeys). The log's unique (event_id, audience) is what
 * makes a replayed batch write nothing twice.
 */
export class RouterTables1763910000000 implements MigrationInterface {
  name = 'RouterTables1763910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "router_consent" (
        "consent_id" uuid NOT NULL,
        "child_pseudonym" text NOT NULL,
        "parties" text array NOT NULL DEFAULT '{}',
        "information_kinds" text array NOT NULL DEFAULT '{}',
        "valid_from" date,
        "valid_to" date,
        "granted_via" text,
        "granted_event_id" text,
        "withdrawn_at" TIMESTAMP WITH TIME ZONE,
        "withdrawn_event_id" text,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_8fa860336b15c48b5b8f5bc68ce" PRIMARY KEY ("consent_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "router_consent_child_idx" ON "router_consent" ("child_pseudonym")`,
    );
    await queryRunner.query(`
      CREATE TABLE "router_disclosure_log" (
        "id" BIGSERIAL NOT NULL,
        "event_id" text NOT NULL,
        "event_type" text NOT NULL,
        "producer" text NOT NULL,
        "audience" text NOT NULL,
        "outcome" text NOT NULL,
        "identity_linked" boolean NOT NULL,
        "legal_basis" text,
        "consent_id" text,
        "withhold_reason" text,
        "child_pseudonym" text,
        "decision" jsonb NOT NULL,
        "source_topic" text NOT NULL,
        "source_partition" integer NOT NULL,
        "source_offset" bigint NOT NULL,
        "event_time" TIMESTAMP WITH TIME ZONE NOT NULL,
        "routed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "router_disclosure_log_event_audience_key" UNIQUE ("event_id", "audience"),
        CONSTRAINT "PK_e856cbd2371c6cd5a9f656d3e1a" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "router_disclosure_log_child_idx" ON "router_disclosure_log" ("child_pseudonym")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "router_disclosure_log"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "router_consent"`);
  }
}
