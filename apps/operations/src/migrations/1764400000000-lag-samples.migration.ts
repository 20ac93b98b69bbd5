import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The last hour of per-partition lag samples, so the console's history and Burrow windows survive a restart. */
export class LagSamples1764400000000 implements MigrationInterface {
  name = 'LagSamples1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "lag_samples" (
        "group_id" text NOT NULL,
        "sampled_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "topic" text NOT NULL,
        "partition" integer NOT NULL,
        "group_state" text NOT NULL,
        "group_members" integer NOT NULL,
        "group_status" text NOT NULL,
        "committed_offset" bigint,
        "end_offset" bigint NOT NULL,
        "lag" bigint NOT NULL,
        "lag_seconds" double precision NOT NULL,
        "member_id" text,
        CONSTRAINT "PK_lag_samples" PRIMARY KEY ("group_id", "sampled_at", "topic", "partition")
      )`);
    await q.query(`CREATE INDEX "lag_samples_sampled_at_idx" ON "lag_samples" ("sampled_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "lag_samples_sampled_at_idx"`);
    await q.query(`DROP TABLE "lag_samples"`);
  }
}
