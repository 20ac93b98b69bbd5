/**
 * Intervention catalog v1: the shared vocabulary the Stockholm paper found missing. Every
 * intervention, referral and course event names one of these codes; reporting groups by them and
 * leisure takes session plans and completion rules from them.
 *
 * Codes are stable. A change to an entry that alters its meaning (a new session plan, a new
 * completion rule) bumps that entry's `version` and the catalog version; a code is never reused.
 * Where the seeds give no number (session counts of ICDP, ÖPP, Komet, ABC) the value follows the
 * programme's published Swedish manual, and `source` says so.
 */

export const INTERVENTION_CATALOG_VERSION = 1;

export const INTERVENTION_KINDS = ['parent-program', 'child-group', 'individual', 'team', 'meeting'] as const;
export type InterventionKind = (typeof INTERVENTION_KINDS)[number];

export const PREVENTION_LEVELS = ['universal', 'selective', 'indicated'] as const;
export type PreventionLevel = (typeof PREVENTION_LEVELS)[number];

/** SoL 2025:400 lets a board give some interventions as a service, without a needs assessment. */
export const INTERVENTION_BASES = ['service-without-needs-assessment', 'after-decision'] as const;
export type InterventionBasis = (typeof INTERVENTION_BASES)[number];

/** Who takes part: parents in parent programmes, staff in Aktivt ledarskap i skolan. */
export type ParticipantGroup = 'parents' | 'children' | 'families' | 'professionals';

/** The agencies that provide the intervention in the seeds. */
export type ProvidingAgency = 'education' | 'social-services' | 'leisure' | 'region';

export interface SessionPlan {
  sessions: number;
  minutesPerSession: number;
  /** Days between sessions, when the manual prescribes it. */
  intervalDays?: { min: number; max: number };
}

export type CompletionRule =
  /** Completed when attended ÷ planned sessions ≥ minShare. */
  | { kind: 'share-of-sessions'; minShare: number }
  /** Completed when at least `min` sessions were attended. */
  | { kind: 'sessions-attended'; min: number }
  /** No sessions to count (individual support, team, meeting): completion is an ended intervention. */
  | { kind: 'not-applicable' };

export type LateEnrolmentRule =
  /** May join before session `lastSession` starts (1 = only before the first session). */
  | { kind: 'until-session'; lastSession: number }
  /** Continuous intake. */
  | { kind: 'open' };

export interface InterventionCatalogEntry {
  code: string;
  version: number;
  /** Swedish name as used in the municipalities. */
  name: string;
  nameEn: string;
  kind: InterventionKind;
  preventionLevel: PreventionLevel;
  /** Bases it may be given on. */
  bases: readonly InterventionBasis[];
  participants: ParticipantGroup;
  /** Ages of the children the intervention is about, inclusive. */
  targetAges: { min: number; max: number };
  groupSize?: { min: number; max: number };
  sessionPlan: SessionPlan | null;
  completionRule: CompletionRule;
  lateEnrolment: LateEnrolmentRule;
  /** Needs the guardians' consent to involve more than one agency (SIP always does). */
  requiresConsent: boolean;
  providedBy: readonly ProvidingAgency[];
  /** Where the entry comes from: the seed paper(s), and the manual for numbers the seeds lack. */
  source: string;
}

const BOTH: readonly InterventionBasis[] = ['service-without-needs-assessment', 'after-decision'];
const SERVICE: readonly InterventionBasis[] = ['service-without-needs-assessment'];
const CHILD_AGES = { min: 0, max: 17 };

const entries = [
  {
    code: 'aktivt-foraldraskap-3-12',
    version: 1,
    name: 'Aktivt föräldraskap',
    nameEn: 'Active Parenting (ages 3–12)',
    kind: 'parent-program',
    preventionLevel: 'universal',
    bases: SERVICE,
    participants: 'parents',
    targetAges: { min: 3, max: 12 },
    groupSize: { min: 6, max: 14 },
    sessionPlan: { sessions: 6, minutesPerSession: 180, intervalDays: { min: 7, max: 21 } },
    completionRule: { kind: 'share-of-sessions', minShare: 0.8 },
    lateEnrolment: { kind: 'until-session', lastSession: 2 },
    requiresConsent: false,
    providedBy: ['social-services', 'education', 'leisure'],
    source: 'Kävlinge BN 2018/85 (6 sessions × 3 h, 1–3 weeks apart, ages 3–12); Ljungby 2011',
  },
  {
    code: 'aktivt-foraldraskap-tonar-12-16',
    version: 1,
    name: 'Aktivt föräldraskap för tonårsföräldrar',
    nameEn: 'Active Parenting of Teens (ages 12–16)',
    kind: 'parent-program',
    preventionLevel: 'universal',
    bases: SERVICE,
    participants: 'parents',
    targetAges: { min: 12, max: 16 },
    groupSize: { min: 6, max: 14 },
    sessionPlan: { sessions: 6, minutesPerSession: 180, intervalDays: { min: 7, max: 21 } },
    completionRule: { kind: 'share-of-sessions', minShare: 0.8 },
    lateEnrolment: { kind: 'until-session', lastSession: 2 },
    requiresConsent: false,
    providedBy: ['social-services', 'education', 'leisure'],
    source: 'Kävlinge BN 2018/85 (teen course from 2018, ages 12–16); Ljungby 2011',
  },
  {
    code: 'aktiva-smabarnsforaldrar-1-4',
    version: 1,
    name: 'Aktiva småbarnsföräldrar',
    nameEn: 'Active Parenting: First Years (ages 1–4)',
    kind: 'parent-program',
    preventionLevel: 'universal',
    bases: SERVICE,
    participants: 'parents',
    targetAges: { min: 1, max: 4 },
    groupSize: { min: 6, max: 14 },
    sessionPlan: { sessions: 4, minutesPerSession: 120 },
    completionRule: { kind: 'sessions-attended', min: 3 },
    lateEnrolment: { kind: 'until-session', lastSession: 1 },
    requiresConsent: false,
    providedBy: ['social-services', 'education'],
    source: 'Ljungby 2011 (ages 1–4); session plan from the programme manual',
  },
  {
    code: 'aktivt-ledarskap-i-skolan',
    version: 1,
    name: 'Aktivt ledarskap i skolan',
    nameEn: 'Active Leadership in School (for preschool and school staff)',
    kind: 'parent-program',
    preventionLevel: 'universal',
    bases: SERVICE,
    participants: 'professionals',
    targetAges: { min: 1, max: 16 },
    groupSize: { min: 6, max: 16 },
    sessionPlan: { sessions: 6, minutesPerSession: 180 },
    completionRule: { kind: 'share-of-sessions', minShare: 0.8 },
    lateEnrolment: { kind: 'until-session', lastSession: 1 },
    requiresConsent: false,
    providedBy: ['education'],
    source: 'Ljungby 2011 (the fourth Aktivt föräldraskap course, for staff); plan as the parent course',
  },
  {
    code: 'icdp',
    version: 1,
    name: 'ICDP – Vägledande samspel',
    nameEn: 'International Child Development Programme',
    kind: 'parent-program',
    preventionLevel: 'universal',
    bases: SERVICE,
    participants: 'parents',
    targetAges: { min: 0, max: 17 },
    groupSize: { min: 4, max: 10 },
    sessionPlan: { sessions: 8, minutesPerSession: 120, intervalDays: { min: 7, max: 14 } },
    completionRule: { kind: 'sessions-attended', min: 6 },
    lateEnrolment: { kind: 'until-session', lastSession: 2 },
    requiresConsent: false,
    providedBy: ['social-services', 'education', 'region'],
    source: 'Vaggeryd SN 2023/047 (family centre, 0–5 there); 8 meetings per the Swedish ICDP manual',
  },
  {
    code: 'opp',
    version: 1,
    name: 'ÖPP – Örebro preventionsprogram',
    nameEn: 'Örebro Prevention Programme (parents of pupils in years 7–9)',
    kind: 'parent-program',
    preventionLevel: 'universal',
    bases: SERVICE,
    participants: 'parents',
    targetAges: { min: 13, max: 16 },
    sessionPlan: { sessions: 5, minutesPerSession: 30 },
    completionRule: { kind: 'sessions-attended', min: 3 },
    lateEnrolment: { kind: 'open' },
    requiresConsent: false,
    providedBy: ['education'],
    source: 'Ljungby 2011 (parent-meeting method, later school years); 5 parent meetings over years 7–9',
  },
  {
    code: 'komet',
    version: 1,
    name: 'Komet',
    nameEn: 'Komet parent training (ages 3–11)',
    kind: 'parent-program',
    preventionLevel: 'selective',
    bases: BOTH,
    participants: 'parents',
    targetAges: { min: 3, max: 11 },
    groupSize: { min: 6, max: 14 },
    sessionPlan: { sessions: 11, minutesPerSession: 150, intervalDays: { min: 7, max: 7 } },
    completionRule: { kind: 'share-of-sessions', minShare: 0.75 },
    lateEnrolment: { kind: 'until-session', lastSession: 2 },
    requiresConsent: false,
    providedBy: ['social-services'],
    source: 'Stockholm 2012 (most common parent training, ages 3–11); 11 meetings per the Komet manual',
  },
  {
    code: 'abc',
    version: 1,
    name: 'ABC – Alla barn i centrum',
    nameEn: 'All Children in Focus',
    kind: 'parent-program',
    preventionLevel: 'universal',
    bases: SERVICE,
    participants: 'parents',
    targetAges: { min: 3, max: 12 },
    groupSize: { min: 6, max: 14 },
    sessionPlan: { sessions: 4, minutesPerSession: 150, intervalDays: { min: 7, max: 7 } },
    completionRule: { kind: 'sessions-attended', min: 3 },
    lateEnrolment: { kind: 'until-session', lastSession: 1 },
    requiresConsent: false,
    providedBy: ['social-services', 'education', 'leisure'],
    source: 'Stockholm 2012 (under follow-up); 4 meetings of 2.5 h per the ABC manual',
  },
  {
    code: 'skilda-varldar',
    version: 1,
    name: 'Skilda världar',
    nameEn: 'Separate Worlds (children of separated parents)',
    kind: 'child-group',
    preventionLevel: 'selective',
    bases: BOTH,
    participants: 'children',
    targetAges: { min: 7, max: 13 },
    groupSize: { min: 6, max: 8 },
    sessionPlan: { sessions: 10, minutesPerSession: 120, intervalDays: { min: 7, max: 7 } },
    completionRule: { kind: 'share-of-sessions', minShare: 0.8 },
    lateEnrolment: { kind: 'until-session', lastSession: 2 },
    requiresConsent: false,
    providedBy: ['social-services'],
    source: 'Kävlinge BN 2018/85 (7–13 years, 6–8 children, 10 × 2 h weekly); Stockholm 2012',
  },
  {
    code: 'cap',
    version: 1,
    name: 'CAP – Children are people too',
    nameEn: 'CAP (children in families with mental illness or substance abuse)',
    kind: 'child-group',
    preventionLevel: 'selective',
    bases: BOTH,
    participants: 'children',
    targetAges: { min: 7, max: 13 },
    groupSize: { min: 6, max: 8 },
    sessionPlan: { sessions: 10, minutesPerSession: 120, intervalDays: { min: 7, max: 7 } },
    completionRule: { kind: 'share-of-sessions', minShare: 0.8 },
    lateEnrolment: { kind: 'until-session', lastSession: 2 },
    requiresConsent: false,
    providedBy: ['social-services'],
    source: 'Kävlinge BN 2018/85 (same structure as Skilda världar)',
  },
  {
    code: 'rad-och-stodsamtal',
    version: 1,
    name: 'Råd- och stödsamtal',
    nameEn: 'Advice and support talks',
    kind: 'individual',
    preventionLevel: 'selective',
    bases: SERVICE,
    participants: 'families',
    targetAges: CHILD_AGES,
    sessionPlan: null,
    completionRule: { kind: 'not-applicable' },
    lateEnrolment: { kind: 'open' },
    requiresConsent: false,
    providedBy: ['social-services'],
    source: 'Stockholm 2012 (the most common parent support)',
  },
  {
    code: 'familjecentral-kuratorsstod',
    version: 1,
    name: 'Kuratorsstöd på familjecentral',
    nameEn: 'Family-centre counsellor support (incl. first home visit)',
    kind: 'individual',
    preventionLevel: 'universal',
    bases: SERVICE,
    participants: 'families',
    targetAges: { min: 0, max: 5 },
    sessionPlan: null,
    completionRule: { kind: 'not-applicable' },
    lateEnrolment: { kind: 'open' },
    requiresConsent: false,
    providedBy: ['social-services', 'education', 'region'],
    source: 'Vaggeryd SN 2023/047 (family centre counsellors, children 0–5)',
  },
  {
    code: 'mobila-teamet',
    version: 1,
    name: 'Mobila teamet',
    nameEn: 'Mobile team for pupils with high school absence',
    kind: 'team',
    preventionLevel: 'indicated',
    bases: SERVICE,
    participants: 'children',
    targetAges: { min: 7, max: 16 },
    sessionPlan: null,
    completionRule: { kind: 'not-applicable' },
    lateEnrolment: { kind: 'open' },
    requiresConsent: true,
    providedBy: ['education'],
    source: 'Kävlinge BN 2018/85 (pupils in years 2–9 with high absence; works with IFO after consent)',
  },
  {
    code: 'familjebehandling',
    version: 1,
    name: 'Familjebehandling',
    nameEn: 'Family treatment',
    kind: 'individual',
    preventionLevel: 'indicated',
    bases: ['after-decision'],
    participants: 'families',
    targetAges: CHILD_AGES,
    sessionPlan: null,
    completionRule: { kind: 'not-applicable' },
    lateEnrolment: { kind: 'open' },
    requiresConsent: false,
    providedBy: ['social-services'],
    source: 'Kävlinge BN 2018/85 (family team alongside Mobila teamet, during an investigation)',
  },
  {
    code: 'sip',
    version: 1,
    name: 'SIP – samordnad individuell plan',
    nameEn: 'Coordinated individual plan meeting',
    kind: 'meeting',
    preventionLevel: 'indicated',
    bases: BOTH,
    participants: 'families',
    targetAges: CHILD_AGES,
    sessionPlan: null,
    completionRule: { kind: 'not-applicable' },
    lateEnrolment: { kind: 'open' },
    requiresConsent: true,
    providedBy: ['social-services', 'education', 'region'],
    source: 'Kävlinge BN 2018/85 (network leaders holding SIP meetings); SIP needs consent',
  },
  {
    code: 'natverksmote',
    version: 1,
    name: 'Nätverksmöte',
    nameEn: 'Network meeting',
    kind: 'meeting',
    preventionLevel: 'selective',
    bases: BOTH,
    participants: 'families',
    targetAges: CHILD_AGES,
    sessionPlan: null,
    completionRule: { kind: 'not-applicable' },
    lateEnrolment: { kind: 'open' },
    requiresConsent: true,
    providedBy: ['social-services', 'education'],
    source: 'Kävlinge BN 2018/85 (network meetings with the family and professionals)',
  },
] as const satisfies readonly InterventionCatalogEntry[];

export type CatalogCode = (typeof entries)[number]['code'];

export const INTERVENTION_CATALOG: readonly InterventionCatalogEntry[] = entries;
export const CATALOG_CODES: readonly CatalogCode[] = entries.map((e) => e.code);

const byCode = new Map<string, InterventionCatalogEntry>(entries.map((e) => [e.code, e]));

export function isCatalogCode(code: unknown): code is CatalogCode {
  return typeof code === 'string' && byCode.has(code);
}

/** The entry for a code, or undefined for a code the catalog does not know. */
export function catalogEntry(code: string): InterventionCatalogEntry | undefined {
  return byCode.get(code);
}

/** Programmes run as courses (groups with a session plan): what leisure schedules. */
export function isCourseProgramme(code: string): boolean {
  const entry = byCode.get(code);
  return (
    !!entry && entry.sessionPlan !== null && (entry.kind === 'parent-program' || entry.kind === 'child-group')
  );
}

/** Whether a participant who attended `attended` of the plan's sessions completed the programme. */
export function meetsCompletionRule(rule: CompletionRule, attended: number, planned: number): boolean {
  switch (rule.kind) {
    case 'share-of-sessions':
      return planned > 0 && attended / planned >= rule.minShare;
    case 'sessions-attended':
      return attended >= rule.min;
    case 'not-applicable':
      return false;
  }
}

/** Whether enrolment is still open once `sessionsStarted` sessions have begun. */
export function allowsEnrolmentAfter(rule: LateEnrolmentRule, sessionsStarted: number): boolean {
  switch (rule.kind) {
    case 'open':
      return true;
    case 'until-session':
      return sessionsStarted < rule.lastSession;
  }
}
