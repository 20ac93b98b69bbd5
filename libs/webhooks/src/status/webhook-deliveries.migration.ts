import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookDeliveries1764300000000 implements MigrationInterface {
  name = 'WebhookDeliveries1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        subscriber_id text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        state text NOT NULL,
        attempts integer NOT NULL,
        last_http_status integer,
        last_attempt_at timestamptz NOT NULL,
        CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (subscriber_id, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
  }
}

export const WEBHOOK_MIGRATIONS = [WebhookDeliveries1764300000000];
