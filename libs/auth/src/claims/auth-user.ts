/**
 * What a verified bearer token says about its caller. The hub trusts only these claims; it never
 * looks a caller up by name.
 *
 * Token claims (besides the registered `iss`, `aud`, `exp`, `sub`):
 * - `agency`: the caller's agency, one of CALLER_AGENCIES (the three producers plus reporting and
 *   operations; named apart from @samverkan/contracts' AGENCIES, which are the exchanging agencies)
 * - `org_unit`: the caller's organisation unit (a school unit code, a social-services unit id, ...)
 * - `roles`: string array; endpoints name the roles they accept with `@Roles(...)`
 */
export const CALLER_AGENCIES = [
  'education',
  'social-services',
  'leisure',
  'reporting',
  'operations',
] as const;
export type CallerAgency = (typeof CALLER_AGENCIES)[number];

/**
 * The roles the hub's endpoints use today. Roles are open strings so an OIDC provider can add its
 * own; these constants only keep the names consistent between apps, tests and mint-token.
 */
export const ROLES = {
  /** School / preschool staff filing concern reports and reading their own unit's feedback. */
  REPORTER: 'reporter',
  /** Records guardians' consents. */
  CONSENT_ADMIN: 'consent-admin',
  /** Social services intake, assessments, decisions and interventions. */
  SOCIAL_WORKER: 'social-worker',
  /** Leisure staff running courses. */
  COURSE_ADMIN: 'course-admin',
  /** Answers "who received what about this child" from the disclosure log. */
  DATA_OWNER: 'data-owner',
  /** Reads statistics. */
  ANALYST: 'analyst',
  /** Operations console: lag, dead letters, replay. */
  OPERATOR: 'operator',
  /** Operations console, and may see dead-letter payloads unmasked (personal data). */
  OPERATOR_PRIVILEGED: 'operator-privileged',
} as const;
export type KnownRole = (typeof ROLES)[keyof typeof ROLES];

export interface AuthUser {
  /** `sub`: a stable, opaque id of the caller (never a personnummer). */
  subject: string;
  agency: CallerAgency;
  orgUnit: string;
  roles: readonly string[];
  issuer: string;
  /** `jti`, when the issuer sets one; for audit trails. */
  tokenId?: string;
  expiresAt: Date;
}

/** The claims a token carries, as written by an issuer (mint-token, createTestIssuer, an OIDC provider). */
// A type alias, not an interface, so it is assignable to the open claim record mint() takes.
export type HubTokenClaims = {
  sub: string;
  agency: CallerAgency;
  org_unit: string;
  roles: string[];
};

export function isCallerAgency(value: unknown): value is CallerAgency {
  return typeof value === 'string' && (CALLER_AGENCIES as readonly string[]).includes(value);
}

export function hasAnyRole(user: AuthUser, roles: readonly string[]): boolean {
  return roles.some((role) => user.roles.includes(role));
}
