import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { Nested, PersonalData } from '../common/personal-data';
import { ContactDetails, NamedChildIdentity } from '../common/shared';
import { IsMunicipalityCode, IsRfc3339, IsSchoolUnitCode } from '../common/validators';

export const REPORTER_ROLES = [
  'teacher',
  'principal',
  'school-nurse',
  'school-counsellor',
  'preschool-teacher',
  'other-staff',
] as const;
export type ReporterRole = (typeof REPORTER_ROLES)[number];

/** The fixed concern category code list (issue 3). */
export const CONCERN_CATEGORIES = [
  'neglect',
  'physical-violence',
  'psychological-violence',
  'sexual-abuse',
  'substance-abuse-in-home',
  'parent-mental-illness',
  'child-behaviour-or-substance-use',
  'school-absence',
  'honour-related',
  'other',
] as const;
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];

export const CONCERN_DESCRIPTION_MAX_LENGTH = 10_000;

export class ReportingUnit {
  @IsSchoolUnitCode()
  schoolUnitCode: string;

  @IsMunicipalityCode()
  municipality: string;
}

export class Reporter {
  @IsIn(REPORTER_ROLES)
  role: ReporterRole;

  @PersonalData('name')
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @Nested(() => ContactDetails)
  contact: ContactDetails;
}

/**
 * A mandatory reporter in education filed a concern report (orosanmälan). Carries identity and free
 * text: only the router reads it from the source topic and delivers it in full to social services
 * under the duty to report.
 */
export class ConcernReportFiledV1 {
  @IsUUID()
  reportId: string;

  @Nested(() => NamedChildIdentity)
  child: NamedChildIdentity;

  @Nested(() => ReportingUnit)
  reportingUnit: ReportingUnit;

  @Nested(() => Reporter)
  reporter: Reporter;

  @ArrayMinSize(1)
  @ArrayMaxSize(CONCERN_CATEGORIES.length)
  @ArrayUnique()
  @IsIn(CONCERN_CATEGORIES, { each: true })
  categories: ConcernCategory[];

  @PersonalData('free-text')
  @IsString()
  @IsNotEmpty()
  @MaxLength(CONCERN_DESCRIPTION_MAX_LENGTH)
  description: string;

  @IsBoolean()
  immediateDanger: boolean;

  @IsRfc3339()
  filedAt: string;
}
