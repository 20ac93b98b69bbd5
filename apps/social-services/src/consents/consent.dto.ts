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
import { IdentifiedChildRequest } from '../common/child.dto';

export class GrantConsentRequest {
  @ApiProperty({ type: IdentifiedChildRequest })
  @Nested(() => IdentifiedChildRequest)
  child: IdentifiedChildRequest;

  @ApiProperty({
    enum: AGENCIES,
    isArray: true,
    description: 'The agencies that may exchange information; must include social-services',
  })
  @IsArray({ message: 'parties must be a list of agencies' })
  @ArrayMinSize(2, { message: 'parties must name at least two agencies' })
  @ArrayUnique({ message: 'parties must not repeat an agency' })
  @ArrayContains(['social-services'], {
    message: 'parties must include social-services (the agency recording the consent)',
  })
  @IsIn(AGENCIES, { each: true, message: `each value in parties must be one of ${AGENCIES.join(', ')}` })
  parties: Agency[];

  @ApiProperty({ enum: INFORMATION_KINDS, isArray: true })
  @IsArray({ message: 'informationKinds must be a list of kinds' })
  @ArrayMinSize(1, { message: 'informationKinds must name at least one kind' })
  @ArrayUnique({ message: 'informationKinds must not repeat a kind' })
  @IsIn(INFORMATION_KINDS, {
    each: true,
    message: `each value in informationKinds must be one of ${INFORMATION_KINDS.join(', ')}`,
  })
  informationKinds: InformationKind[];

  @ApiProperty({ enum: CONSENT_PURPOSES })
  @IsIn(CONSENT_PURPOSES, { message: `purpose must be one of ${CONSENT_PURPOSES.join(', ')}` })
  purpose: ConsentPurpose;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  purposeDescription?: string;

  @ApiProperty({ format: 'date', description: 'First day the consent applies (inclusive)' })
  @IsCalendarDate()
  validFrom: string;

  @ApiProperty({ format: 'date', description: 'Last day the consent applies (inclusive)' })
  @IsCalendarDate()
  validTo: string;

  @ApiProperty({ enum: CONSENT_GIVERS })
  @IsIn(CONSENT_GIVERS, { message: `grantedBy must be one of ${CONSENT_GIVERS.join(', ')}` })
  grantedBy: ConsentGiver;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the consent was given; default now' })
  @IsOptional()
  @IsRfc3339()
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
  @ApiProperty({ description: 'The social-services unit that recorded it' }) recordedByUnit: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) withdrawnAt: string | null;
}
