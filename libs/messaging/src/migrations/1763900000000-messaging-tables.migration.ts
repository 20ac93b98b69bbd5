import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox and inbox of the messaging kit; every service database that publishes or consumes gets both. */
export class MessagingTables1763900000000 implements MigrationInterface {
  name = 'MessagingTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS messaging_outbox (
        position bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        topic text NOT NULL,
        message_key text NOT NULL,
        headers jsonb NOT NULL,
        payload text NOT NULL,
        shard smallint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL,
        CONSTRAINT messaging_outbox_event_id_key UNIQUE (event_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS messaging_outbox_pending_idx ON messaging_outbox (position) WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS messaging_outbox_published_idx ON messaging_outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS messaging_inbox (
        consumer_group text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS messaging_inbox`);
    await queryRunner.query(`DROP TABLE IF EXISTS messaging_outbox`);
  }
}
