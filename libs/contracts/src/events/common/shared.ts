import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PersonalData } from './personal-data';
import { IsCalendarDate, IsMunicipalityCode, IsCanonicalPersonnummer } from './validators';

/** The agencies that take part in the hub. Same names as the producer services and audiences. */
export const AGENCIES = ['education', 'social-services', 'leisure'] as const;
export type Agency = (typeof AGENCIES)[number];

/** Unit codes: a school unit code, an IFO unit id, a leisure unit id. Not personal data. */
const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The child an event is about. The router pseudonymizes the subject from `personnummer` for
 * reporting and strips the whole object from minimized deliveries.
 */
export class ChildIdentity {
  @PersonalData('identity')
  @IsCanonicalPersonnummer()
  personnummer: string;

  @PersonalData('name')
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  /**
   * Skyddad identitet: the router never lets this record leave the holding agency except to social
   * services, and never with address data. Absent means false.
   */
  @IsOptional()
  @IsBoolean()
  protectedIdentity?: boolean;
}

/** A child whose name is required (a concern report names the child). */
export class NamedChildIdentity {
  @PersonalData('identity')
  @IsCanonicalPersonnummer()
  personnummer: string;

  @PersonalData('name')
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @IsOptional()
  @IsBoolean()
  protectedIdentity?: boolean;
}

export class ContactDetails {
  @PersonalData('contact')
  @IsOptional()
  @IsEmail({ allow_utf8_local_part: false })
  @MaxLength(254)
  email?: string;

  @PersonalData('contact')
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,20}$/, { message: 'must be a phone number (digits, spaces, +, -, parentheses)' })
  phone?: string;
}

/** An organisation unit of an agency: who performs, refers or reports. */
export class OrganisationUnit {
  @IsIn(AGENCIES)
  agency: Agency;

  @Matches(UNIT_CODE, { message: 'must be a unit code (letters, digits, . _ -, at most 64)' })
  unitCode: string;

  @IsMunicipalityCode()
  municipality: string;

  /** Stadsdel / district within the municipality, for place exchange and statistics. */
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'must be a district code (letters, digits, . _ -, at most 64)' })
  district?: string;
}

export class DateRange {
  @IsCalendarDate()
  from: string;

  @IsCalendarDate()
  to: string;
}

export class AgeRange {
  @IsInt()
  @Min(0)
  @Max(25)
  min: number;

  @IsInt()
  @Min(0)
  @Max(25)
  max: number;
}
