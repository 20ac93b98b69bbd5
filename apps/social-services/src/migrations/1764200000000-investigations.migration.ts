import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Child investigations (barnavårdsutredningar) with their four-month deadline and extensions. */
export class Investigations1764200000000 implements MigrationInterface {
  name = 'Investigations1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE investigations (
        id uuid NOT NULL,
        report_id uuid,
        trigger text NOT NULL,
        subject uuid NOT NULL,
        child_personnummer text NOT NULL,
        child_protected_identity boolean NOT NULL DEFAULT false,
        unit_code text NOT NULL,
        opened_at timestamptz NOT NULL,
        statutory_due_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        extensions jsonb NOT NULL DEFAULT '[]',
        outcome text,
        closed_at timestamptz,
        closed_by_unit text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT investigations_pkey PRIMARY KEY (id)
      )`);
    // A report opens at most one investigation (its decision is made once).
    await queryRunner.query(`CREATE UNIQUE INDEX investigations_report_key ON investigations (report_id)`);
    await queryRunner.query(`CREATE INDEX investigations_opened_at_idx ON investigations (opened_at, id)`);
    // The overdue listing and the metric scan only open investigations.
    await queryRunner.query(
      `CREATE INDEX investigations_open_due_idx ON investigations (due_at) WHERE closed_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS investigations`);
  }
}
