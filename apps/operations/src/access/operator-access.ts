import { ROLES, hasAnyRole, type AuthUser } from '@samverkan/auth';

/** Every console route accepts either role; only the privileged one sees personal data unmasked. */
export const OPERATOR_ROLES = [ROLES.OPERATOR, ROLES.OPERATOR_PRIVILEGED] as const;

export function isPrivileged(user: AuthUser): boolean {
  return hasAnyRole(user, [ROLES.OPERATOR_PRIVILEGED]);
}
