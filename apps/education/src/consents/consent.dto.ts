import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AGENCIES,
  CONSENT_GIVERS,
  CONSENT_PURPOSES,
  INFORMATION_KINDS,
  IsCalendarDate,
  IsRfc3339,
  Nested,
  type Agency,
  type ConsentGiver,
  type ConsentPurpose,
  type InformationKind,
} from '@samverkan/contracts';
import {
  ArrayContains,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { ChildRequest } from '../common/child.dto';

/** POST /consents: the guardians' consent for named agencies to exchange named kinds of information. */
export class GrantConsentRequest {
  @ApiProperty({ type: ChildRequest })
  @Nested(() => ChildRequest)
  child: ChildRequest;

  @ApiProperty({
    enum: AGENCIES,
    isArray: true,
    description: 'The agencies that may exchange information; must include education',
  })
  @IsIn(AGENCIES, { each: true, message: `each value in parties must be one of ${AGENCIES.join(', ')}` })
  @ArrayContains(['education'], {
    message: 'parties must include education (the agency recording the consent)',
  })
  @ArrayUnique({ message: 'parties must not repeat an agency' })
  @ArrayMinSize(2, { message: 'parties must name at least two agencies' })
  @IsArray({ message: 'parties must be a list of agencies' })
  parties: Agency[];

  @ApiProperty({ enum: INFORMATION_KINDS, isArray: true })
  @IsIn(INFORMATION_KINDS, {
    each: true,
    message: `each value in informationKinds must be one of ${INFORMATION_KINDS.join(', ')}`,
  })
  @ArrayUnique({ message: 'informationKinds must not repeat a kind' })
  @ArrayMinSize(1, { message: 'informationKinds must name at least one kind' })
  @IsArray({ message: 'informationKinds must be a list of kinds' })
  informationKinds: InformationKind[];

  @ApiProperty({ enum: CONSENT_PURPOSES })
  @IsIn(CONSENT_PURPOSES, { message: `purpose must be one of ${CONSENT_PURPOSES.join(', ')}` })
  purpose: ConsentPurpose;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @MaxLength(2000, { message: 'purposeDescription must be at most 2000 characters' })
  @IsNotEmpty({ message: 'purposeDescription must not be empty' })
  @IsString({ message: 'purposeDescription must be a string' })
  purposeDescription?: string;

  @ApiProperty({
    format: 'date',
    description: 'First day the consent applies (inclusive)',
    example: '2026-12-01',
  })
  @IsCalendarDate({ message: 'validFrom must be a calendar date YYYY-MM-DD' })
  validFrom: string;

  @ApiProperty({
    format: 'date',
    description: 'Last day the consent applies (inclusive); not before validFrom',
    example: '2027-06-30',
  })
  @IsCalendarDate({ message: 'validTo must be a calendar date YYYY-MM-DD' })
  validTo: string;

  @ApiProperty({ enum: CONSENT_GIVERS })
  @IsIn(CONSENT_GIVERS, { message: `grantedBy must be one of ${CONSENT_GIVERS.join(', ')}` })
  grantedBy: ConsentGiver;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the consent was given; default now' })
  @IsOptional()
  @IsRfc3339({ message: 'grantedAt must be an RFC 3339 date-time' })
  grantedAt?: string;
}

export class ConsentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: AGENCIES, isArray: true }) parties: Agency[];
  @ApiProperty({ enum: INFORMATION_KINDS, isArray: true }) informationKinds: InformationKind[];
  @ApiProperty({ enum: CONSENT_PURPOSES }) purpose: ConsentPurpose;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date' }) validTo: string;
  @ApiProperty({ enum: CONSENT_GIVERS }) grantedBy: ConsentGiver;
  @ApiProperty({ format: 'date-time' }) grantedAt: string;
  @ApiProperty({ description: 'The education unit that recorded it' }) recordedByUnit: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) withdrawnAt: string | null;
}
