import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OperationsSchema1764200000000 implements MigrationInterface {
  name = 'OperationsSchema1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "audit_log" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "subject" text NOT NULL,
        "org_unit" text NOT NULL,
        "agency" text NOT NULL,
        "action" text NOT NULL,
        "consumer_group" text,
        "target_ids" jsonb NOT NULL,
        "reason" text,
        "details" jsonb NOT NULL,
        CONSTRAINT "PK_audit_log" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE INDEX "audit_log_at_idx" ON "audit_log" ("at")`);
    await q.query(`
      CREATE TABLE "dead_letter_states" (
        "consumer_group" text NOT NULL,
        "dlq_partition" integer NOT NULL,
        "dlq_offset" bigint NOT NULL,
        "event_id" text,
        "state" text NOT NULL,
        "replay_count" integer NOT NULL DEFAULT 0,
        "last_replayed_at" TIMESTAMP WITH TIME ZONE,
        "discarded_at" TIMESTAMP WITH TIME ZONE,
        "discard_reason" text,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_dead_letter_states" PRIMARY KEY ("consumer_group", "dlq_partition", "dlq_offset")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "dead_letter_states"`);
    await q.query(`DROP INDEX "audit_log_at_idx"`);
    await q.query(`DROP TABLE "audit_log"`);
  }
}
