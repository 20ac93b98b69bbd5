import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The intake register, interventions, consents and child subject ids of social services. */
export class SocialServicesSchema1764000000000 implements MigrationInterface {
  name = 'SocialServicesSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE child_subjects (
        personnummer text NOT NULL,
        subject uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT child_subjects_pkey PRIMARY KEY (personnummer),
        CONSTRAINT child_subjects_subject_key UNIQUE (subject)
      )`);
    await queryRunner.query(`
      CREATE TABLE intake_items (
        report_id uuid NOT NULL,
        event_id uuid NOT NULL,
        subject uuid NOT NULL,
        child_personnummer text NOT NULL,
        child_name text NOT NULL,
        child_protected_identity boolean NOT NULL DEFAULT false,
        reporting_school_unit_code text NOT NULL,
        reporting_municipality text NOT NULL,
        reporter jsonb NOT NULL,
        categories text[] NOT NULL,
        description text NOT NULL,
        immediate_danger boolean NOT NULL,
        violence_suspected boolean NOT NULL,
        filed_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        received_outside_office_hours boolean NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        protection_assessment_due timestamptz NOT NULL,
        decision_due timestamptz NOT NULL,
        assessment_outcome text,
        assessed_at timestamptz,
        assessment_note text,
        assessed_by_unit text,
        decision text,
        decided_at timestamptz,
        decided_by_unit text,
        CONSTRAINT intake_items_pkey PRIMARY KEY (report_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX intake_items_received_at_idx ON intake_items (received_at, report_id)`,
    );
    // The overdue listing and the metric scan only what is still pending.
    await queryRunner.query(
      `CREATE INDEX intake_items_assessment_pending_idx ON intake_items (protection_assessment_due) WHERE assessed_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX intake_items_decision_pending_idx ON intake_items (decision_due) WHERE decided_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE interventions (
        id uuid NOT NULL,
        stage text NOT NULL,
        catalog_code text NOT NULL,
        basis text NOT NULL,
        subject uuid NOT NULL,
        child_personnummer text,
        child_protected_identity boolean NOT NULL DEFAULT false,
        unit_code text NOT NULL,
        receiving_unit jsonb,
        course_id uuid,
        referral_id uuid,
        school_year smallint,
        referred_at timestamptz,
        started_at timestamptz,
        ended_at timestamptz,
        end_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT interventions_pkey PRIMARY KEY (id)
      )`);
    await queryRunner.query(`CREATE INDEX interventions_child_idx ON interventions (child_personnummer)`);
    await queryRunner.query(`
      CREATE TABLE consents (
        id uuid NOT NULL,
        subject uuid NOT NULL,
        child_personnummer text NOT NULL,
        child_protected_identity boolean NOT NULL DEFAULT false,
        parties text[] NOT NULL,
        information_kinds text[] NOT NULL,
        purpose text NOT NULL,
        purpose_description text,
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        granted_by text NOT NULL,
        granted_at timestamptz NOT NULL,
        recorded_by_unit text NOT NULL,
        withdrawn_at timestamptz,
        withdrawn_by_unit text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT consents_pkey PRIMARY KEY (id)
      )`);
    await queryRunner.query(`CREATE INDEX consents_child_idx ON consents (child_personnummer)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS consents`);
    await queryRunner.query(`DROP TABLE IF EXISTS interventions`);
    await queryRunner.query(`DROP TABLE IF EXISTS intake_items`);
    await queryRunner.query(`DROP TABLE IF EXISTS child_subjects`);
  }
}
