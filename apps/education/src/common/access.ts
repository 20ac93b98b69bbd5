import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Agencies, AuthUser, ROLES, Roles } from '@samverkan/auth';
import { AppError, AppErrorCode } from '@samverkan/platform';

/**
 * The roles of the education app. Roles are open strings in the hub; reporter and consent-admin are
 * the shared names from @samverkan/auth, student-health is education's own (elevhälsa).
 */
export const EDUCATION_ROLES = {
  /** School and preschool staff: file concern reports and absence flags, read their unit's feedback. */
  REPORTER: ROLES.REPORTER,
  /** Records and withdraws guardians' consents. */
  CONSENT_ADMIN: ROLES.CONSENT_ADMIN,
  /** Elevhälsa: reads interventions other agencies shared under consent; may also flag absence. */
  STUDENT_HEALTH: 'student-health',
} as const;

/**
 * An endpoint of the education app: a bearer JWT of the education agency carrying one of `roles`.
 * The guard answers 401/403 before the handler runs, so neither depends on whether a record exists.
 */
export function EducationAccess(...roles: string[]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    Roles(...roles),
    Agencies('education'),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' }),
    ApiForbiddenResponse({ description: `Not an education caller with role ${roles.join(' or ')}` }),
  );
}

const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The caller's organisation unit (the school unit code for school staff). */
export function callerUnit(user: AuthUser | undefined): string {
  // The guard has run, so a user is present; a unit code that events cannot carry is a token problem.
  if (!user || !UNIT_CODE.test(user.orgUnit)) {
    throw new AppError(AppErrorCode.FORBIDDEN, "The caller's organisation unit is not a valid unit code");
  }
  return user.orgUnit;
}

/** Staff act for their own school unit only; filing for another unit would hide the report from them. */
export function assertOwnUnit(user: AuthUser | undefined, schoolUnitCode: string): string {
  const unit = callerUnit(user);
  if (unit !== schoolUnitCode) {
    throw new AppError(AppErrorCode.FORBIDDEN, "The school unit must be the caller's own unit");
  }
  return unit;
}
