import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Agencies, ROLES, Roles, type AuthUser } from '@samverkan/auth';
import { AGENCIES, type Agency } from '@samverkan/contracts';
import { AppError, AppErrorCode } from '@samverkan/platform';

/**
 * The roles of the leisure app. Roles are open strings in the hub: course-admin is the shared name
 * from @samverkan/auth; e-service is leisure's own.
 */
export const LEISURE_ROLES = {
  /** Staff who run courses: schedule, enrol (also by referral), withdraw, record attendance. */
  COURSE_ADMIN: ROLES.COURSE_ADMIN,
  /**
   * The municipality's e-service (a client, not a person): self-registration on a citizen's behalf
   * after the e-service has identified them, and withdrawal of what it registered.
   */
  E_SERVICE: 'e-service',
} as const;

/** Whoever runs parent courses and child groups: kultur och fritid, IFO, a school's elevhälsa. */
export const COURSE_ORGANISER_AGENCIES: readonly Agency[] = AGENCIES;

/** Staff endpoints: a course-admin of one of the organising agencies. */
export function CourseAdminAccess(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    Roles(LEISURE_ROLES.COURSE_ADMIN),
    Agencies(...COURSE_ORGANISER_AGENCIES),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' }),
    ApiForbiddenResponse({ description: 'Not a course-admin' }),
  );
}

/** Enrolment and withdrawal: a course-admin, or the e-service client (self-registration only). */
export function EnrolmentAccess(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    Roles(LEISURE_ROLES.COURSE_ADMIN, LEISURE_ROLES.E_SERVICE),
    Agencies(...COURSE_ORGANISER_AGENCIES),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' }),
    ApiForbiddenResponse({ description: 'Neither a course-admin nor the e-service' }),
  );
}

/** The place exchange: any authenticated caller of the hub (no role needed; courses hold no personal data). */
export function AnyCallerAccess(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' }),
  );
}

const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface CallerUnit {
  agency: Agency;
  unitCode: string;
}

/** The caller's own organisation unit, as courses name their organiser. */
export function callerUnit(user: AuthUser | undefined): CallerUnit {
  // The guard has run, so a user is present; a unit events cannot carry is a token problem.
  if (!user || !UNIT_CODE.test(user.orgUnit) || !(AGENCIES as readonly string[]).includes(user.agency)) {
    throw new AppError(AppErrorCode.FORBIDDEN, "The caller's organisation unit cannot organise courses");
  }
  return { agency: user.agency as Agency, unitCode: user.orgUnit };
}

export const isCourseAdmin = (user: AuthUser | undefined): boolean =>
  !!user && user.roles.includes(LEISURE_ROLES.COURSE_ADMIN);

/** Staff act on their own unit's courses only. */
export function assertOrganiser(
  user: AuthUser | undefined,
  organiser: { agency: string; unitCode: string },
): void {
  const unit = callerUnit(user);
  if (unit.agency !== organiser.agency || unit.unitCode !== organiser.unitCode) {
    throw new AppError(AppErrorCode.FORBIDDEN, "The course is not organised by the caller's unit");
  }
}
