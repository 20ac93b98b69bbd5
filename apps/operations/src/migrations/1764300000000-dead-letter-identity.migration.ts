import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dead letter's position (partition, offset) is not its identity: a recreated DLQ topic, or a new
 * Kafka cluster in front of the same database, starts at offset 0 again. The letter's own Kafka
 * timestamp tells an operator's earlier action from a letter that merely landed on the same spot.
 */
export class DeadLetterIdentity1764300000000 implements MigrationInterface {
  name = 'DeadLetterIdentity1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "dead_letter_states" ADD "letter_timestamp" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "dead_letter_states" DROP COLUMN "letter_timestamp"`);
  }
}
