/**
 * The projection tables as the batch writer sees them: key columns, and for every other column how a
 * new value merges with the stored one. Projections must be idempotent and order-insensitive (events
 * about one course arrive on several partitions; a rebuild and the live consumer may apply the same
 * event twice), so a column is either "the value the event states" (coalesce: an event that does
 * not know a column leaves it alone) or "the earliest" (least).
 */
export type MergeRule = 'coalesce' | 'least';

export interface ColumnSpec {
  name: string;
  /** Postgres type for the unnest() array cast. */
  pgType: string;
  merge?: MergeRule;
}

export interface ProjectionTableSpec {
  table: ProjectionTable;
  key: readonly string[];
  columns: readonly ColumnSpec[];
}

export const PROJECTION_TABLES = [
  'concern_reports',
  'interventions',
  'courses',
  'course_enrolments',
  'child_timeline',
] as const;
export type ProjectionTable = (typeof PROJECTION_TABLES)[number];

const c = (name: string, pgType: string, merge: MergeRule = 'coalesce'): ColumnSpec => ({
  name,
  pgType,
  merge,
});

export const TABLE_SPECS: { readonly [T in ProjectionTable]: ProjectionTableSpec } = {
  concern_reports: {
    table: 'concern_reports',
    key: ['report_id'],
    columns: [
      c('report_id', 'uuid'),
      c('pseudonym', 'varchar'),
      c('municipality', 'char(4)'),
      c('district', 'varchar'),
      c('unit_code', 'varchar'),
      c('reporter_kind', 'varchar'),
      c('categories', 'text'),
      c('filed_on', 'date'),
      c('received_on', 'date'),
      c('assessed_same_day', 'boolean'),
      c('assessed_in_time', 'boolean'),
      c('decided_on', 'date'),
      c('decided_in_time', 'boolean'),
      c('days_to_decision', 'integer'),
      c('outcome', 'varchar'),
      c('has_reporter', 'boolean'),
      c('feedback_given', 'boolean'),
    ],
  },
  interventions: {
    table: 'interventions',
    key: ['intervention_id'],
    columns: [
      c('intervention_id', 'uuid'),
      c('pseudonym', 'varchar'),
      c('catalog_code', 'varchar'),
      c('basis', 'varchar'),
      c('prevention_level', 'varchar'),
      c('agency', 'varchar'),
      c('unit_code', 'varchar'),
      c('municipality', 'char(4)'),
      c('district', 'varchar'),
      c('started_on', 'date'),
      c('ended_on', 'date'),
      c('end_reason', 'varchar'),
      c('school_year', 'smallint'),
    ],
  },
  courses: {
    table: 'courses',
    key: ['course_id'],
    columns: [
      c('course_id', 'uuid'),
      c('catalog_code', 'varchar'),
      c('unit_code', 'varchar'),
      c('municipality', 'char(4)'),
      c('district', 'varchar'),
      c('capacity', 'integer'),
      c('starts_on', 'date'),
      c('completed_on', 'date'),
      c('summary_enrolled', 'integer'),
      c('summary_completed', 'integer'),
      c('summary_withdrawn', 'integer'),
      c('summary_waitlisted', 'integer'),
    ],
  },
  course_enrolments: {
    table: 'course_enrolments',
    key: ['enrollment_id'],
    columns: [
      c('enrollment_id', 'uuid'),
      c('course_id', 'uuid'),
      c('pseudonym', 'varchar'),
      c('enrolled_at', 'timestamptz'),
      c('waitlisted_at', 'timestamptz'),
      c('withdrawn_at', 'timestamptz'),
      c('withdrawn_from_waitlist', 'boolean'),
      c('completed_at', 'timestamptz'),
    ],
  },
  child_timeline: {
    table: 'child_timeline',
    key: ['kind', 'ref_id'],
    columns: [
      c('kind', 'varchar'),
      c('ref_id', 'uuid'),
      c('pseudonym', 'varchar'),
      c('municipality', 'char(4)'),
      c('occurred_at', 'timestamptz', 'least'),
      c('preventive', 'boolean'),
    ],
  },
};

/** A row (column name → value) to upsert; undefined/null columns leave the stored value alone. */
export type ProjectionRow = Record<string, string | number | boolean | null | undefined>;

export interface ProjectionOp {
  table: ProjectionTable;
  row: ProjectionRow;
}
