import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Courses, enrolments with waitlists, attendance, referrals and participant subject ids of leisure. */
export class LeisureSchema1764200000000 implements MigrationInterface {
  name = 'LeisureSchema1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE participant_subjects (
        personnummer text NOT NULL,
        subject uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT participant_subjects_pkey PRIMARY KEY (personnummer),
        CONSTRAINT participant_subjects_subject_key UNIQUE (subject)
      )`);
    await queryRunner.query(`
      CREATE TABLE courses (
        id uuid NOT NULL,
        catalog_code text NOT NULL,
        catalog_version integer NOT NULL,
        basis text NOT NULL,
        organising_agency text NOT NULL,
        organising_unit text NOT NULL,
        municipality text NOT NULL,
        district text,
        capacity integer NOT NULL,
        sessions jsonb NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        language text NOT NULL,
        location text,
        target_age_min smallint NOT NULL,
        target_age_max smallint NOT NULL,
        status text NOT NULL DEFAULT 'scheduled',
        enrolled_count integer NOT NULL DEFAULT 0,
        waitlist_count integer NOT NULL DEFAULT 0,
        sessions_recorded integer NOT NULL DEFAULT 0,
        places_announced integer NOT NULL DEFAULT 0,
        summary jsonb,
        scheduled_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        CONSTRAINT courses_pkey PRIMARY KEY (id)
      )`);
    await queryRunner.query(`CREATE INDEX courses_exchange_idx ON courses (status, catalog_code, district)`);
    await queryRunner.query(`
      CREATE TABLE enrollments (
        id uuid NOT NULL,
        course_id uuid NOT NULL,
        status text NOT NULL,
        channel text NOT NULL,
        referral_id uuid,
        participant_role text NOT NULL,
        participant_personnummer text,
        participant_alias text,
        participant_contact jsonb,
        participant_key text NOT NULL,
        child_personnummer text,
        child_protected_identity boolean NOT NULL DEFAULT false,
        subject uuid NOT NULL,
        held_place boolean NOT NULL DEFAULT false,
        from_waitlist boolean NOT NULL DEFAULT false,
        late boolean NOT NULL DEFAULT false,
        waitlist_seq integer,
        registered_by text NOT NULL,
        enrolled_at timestamptz,
        waitlisted_at timestamptz,
        withdrawn_at timestamptz,
        withdrawal_reason text,
        sessions_attended integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT enrollments_pkey PRIMARY KEY (id)
      )`);
    await queryRunner.query(`CREATE INDEX enrollments_course_status_idx ON enrollments (course_id, status)`);
    // One place or waitlist position per person and course, and per referral (the duplicate check's backstop).
    await queryRunner.query(
      `CREATE UNIQUE INDEX enrollments_active_participant_key ON enrollments (course_id, participant_key) WHERE status IN ('enrolled', 'waitlisted')`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX enrollments_active_referral_key ON enrollments (referral_id) WHERE referral_id IS NOT NULL AND status IN ('enrolled', 'waitlisted')`,
    );
    await queryRunner.query(`
      CREATE TABLE session_records (
        course_id uuid NOT NULL,
        session_number integer NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL,
        CONSTRAINT session_records_pkey PRIMARY KEY (course_id, session_number)
      )`);
    await queryRunner.query(`
      CREATE TABLE attendance (
        enrollment_id uuid NOT NULL,
        session_number integer NOT NULL,
        course_id uuid NOT NULL,
        attended boolean NOT NULL,
        CONSTRAINT attendance_pkey PRIMARY KEY (enrollment_id, session_number)
      )`);
    await queryRunner.query(`CREATE INDEX attendance_course_idx ON attendance (course_id, session_number)`);
    await queryRunner.query(`
      CREATE TABLE referrals (
        referral_id uuid NOT NULL,
        event_id uuid NOT NULL,
        catalog_code text NOT NULL,
        basis text NOT NULL,
        child_personnummer text NOT NULL,
        child_protected_identity boolean NOT NULL DEFAULT false,
        referring_unit jsonb NOT NULL,
        receiving_unit jsonb,
        course_id uuid,
        contact jsonb,
        legal_basis text,
        referred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        CONSTRAINT referrals_pkey PRIMARY KEY (referral_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE referrals`);
    await queryRunner.query(`DROP TABLE attendance`);
    await queryRunner.query(`DROP TABLE session_records`);
    await queryRunner.query(`DROP TABLE enrollments`);
    await queryRunner.query(`DROP TABLE courses`);
    await queryRunner.query(`DROP TABLE participant_subjects`);
  }
}
