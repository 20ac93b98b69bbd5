import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Agencies, AuthUser, ROLES, Roles } from '@samverkan/auth';
import { OrganisationUnit } from '@samverkan/contracts';
import { AppError, AppErrorCode } from '@samverkan/platform';

/** The roles that may use social services' endpoints (intake, assessments, decisions, interventions, consents). */
export const SOCIAL_SERVICES_ROLES = [ROLES.SOCIAL_WORKER] as const;

/**
 * Every non-public endpoint of the app: a bearer JWT of the social-services agency with a
 * social-services role. The guard answers 401/403 before any handler runs, so neither answer
 * depends on whether a record exists.
 */
export function SocialServicesAccess(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    Roles(...SOCIAL_SERVICES_ROLES),
    Agencies('social-services'),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' }),
    ApiForbiddenResponse({ description: 'Not a social-services caller with a social-services role' }),
  );
}

const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The caller's own unit, as events name it (deciding, assessing, referring, recording unit). */
export function actingUnit(user: AuthUser | undefined, municipality: string): OrganisationUnit {
  // The guard has run, so a user is present; a unit code that events cannot carry is a token problem.
  if (!user || !UNIT_CODE.test(user.orgUnit)) {
    throw new AppError(AppErrorCode.FORBIDDEN, "The caller's organisation unit is not a valid unit code");
  }
  return { agency: 'social-services', unitCode: user.orgUnit, municipality };
}
