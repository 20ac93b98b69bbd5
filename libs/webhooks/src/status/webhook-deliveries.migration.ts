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

/** What the console needs besides counts: the last error, when it happened, and the current backoff. */
export class WebhookDeliveryErrors1764400000000 implements MigrationInterface {
  name = 'WebhookDeliveryErrors1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_deliveries
        ADD COLUMN last_error_code text,
        ADD COLUMN last_failure_at timestamptz,
        ADD COLUMN next_attempt_by timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_deliveries
        DROP COLUMN next_attempt_by, DROP COLUMN last_failure_at, DROP COLUMN last_error_code`);
  }
}

/** In order; an app that delivers webhooks adds them to its own migrations. */
export const WEBHOOK_MIGRATIONS = [WebhookDeliveries1764300000000, WebhookDeliveryErrors1764400000000];
