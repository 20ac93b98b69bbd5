import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { Nested, PersonalData } from '../common/personal-data';
import { ContactDetails } from '../common/shared';
import { IsCanonicalPersonnummer } from '../common/validators';

export const PARTICIPANT_ROLES = ['parent', 'child', 'professional'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/**
 * A course participant. Programmes offered as a service without a needs assessment may be attended
 * without a personnummer: then an alias (and, at the participant's choice, a contact) stands in.
 * Either `personnummer` or `alias` is present.
 */
export class CourseParticipant {
  @IsIn(PARTICIPANT_ROLES)
  role: ParticipantRole;

  @PersonalData('identity')
  @IsOptional()
  @IsCanonicalPersonnummer()
  personnummer?: string;

  /** Required when there is no personnummer. */
  @PersonalData('name')
  @ValidateIf((p: CourseParticipant) => p.personnummer === undefined || p.alias !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  alias?: string;

  @PersonalData('name')
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @Nested(() => ContactDetails)
  contact?: ContactDetails;
}
