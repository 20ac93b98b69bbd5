import {
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { Nested, PersonalData } from '../common/personal-data';
import { AGENCIES, Agency, ChildIdentity, OrganisationUnit } from '../common/shared';
import { IsCalendarDate, IsRfc3339 } from '../common/validators';

/** Kinds of information a consent can cover; the router matches event kinds against these. */
export const INFORMATION_KINDS = [
  'identity',
  'interventions',
  'course-participation',
  'school-attendance',
  'school-situation',
  'family-situation',
  'health',
] as const;
export type InformationKind = (typeof INFORMATION_KINDS)[number];

export const CONSENT_PURPOSES = [
  'coordinated-support',
  'sip',
  'mobile-team',
  'course-referral',
  'other',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Who gave the consent (OSL 12:2: the guardians; a young person of sufficient maturity may too). */
export const CONSENT_GIVERS = [
  'both-guardians',
  'sole-guardian',
  'one-of-joint-guardians',
  'young-person',
] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];

/**
 * A consent (samtycke) that lets the named agencies exchange the named kinds of information about
 * a child, for a purpose, from validFrom to validTo inclusive. Withdrawable at any time.
 */
export class ConsentGrantedV1 {
  @IsUUID()
  consentId: string;

  @Nested(() => ChildIdentity)
  child: ChildIdentity;

  @ArrayMinSize(2)
  @ArrayUnique()
  @IsIn(AGENCIES, { each: true })
  parties: Agency[];

  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(INFORMATION_KINDS, { each: true })
  informationKinds: InformationKind[];

  @IsIn(CONSENT_PURPOSES)
  purpose: ConsentPurpose;

  @PersonalData('free-text')
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  purposeDescription?: string;

  @IsCalendarDate()
  validFrom: string;

  @IsCalendarDate()
  validTo: string;

  @IsIn(CONSENT_GIVERS)
  grantedBy: ConsentGiver;

  @IsRfc3339()
  grantedAt: string;

  /** The unit that recorded the consent. */
  @Nested(() => OrganisationUnit)
  recordedBy: OrganisationUnit;
}
