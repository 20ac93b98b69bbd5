import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay claims each shard's oldest pending rows (see OutboxRelay.publishBatch): an index on
 * (shard, position) of the pending rows serves that as a short range scan per shard, whatever the
 * backlog and whatever the planner's statistics. On (position) alone, with `shard = ANY(...)` as a
 * filter, the planner could pick a bitmap scan of every pending row plus a sort — a cost growing with
 * the backlog, so a relay behind got slower the further behind it was (bench:backbone, 200,000 events).
 *
 * Timestamped right after the kit's first migration, so an app's own migrations stay the newest (its
 * drift test undoes its last one); TypeORM runs a migration it has not run whatever its timestamp.
 */
export class OutboxPendingByShard1763900000001 implements MigrationInterface {
  name = 'OutboxPendingByShard1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS messaging_outbox_pending_shard_idx ON messaging_outbox (shard, position) WHERE published_at IS NULL`,
    );
    await queryRunner.query(`DROP INDEX IF EXISTS messaging_outbox_pending_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS messaging_outbox_pending_idx ON messaging_outbox (position) WHERE published_at IS NULL`,
    );
    await queryRunner.query(`DROP INDEX IF EXISTS messaging_outbox_pending_shard_idx`);
  }
}
