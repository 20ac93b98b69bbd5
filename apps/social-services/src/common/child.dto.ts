import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPersonnummer, ToNormalizedPersonnummer } from '@samverkan/contracts';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

const PNR_DESCRIPTION =
  'Personnummer or samordningsnummer: 10 or 12 digits, optionally with - or + before the last four; stored and sent as 12 digits';

/**
 * A child who must be identified (consents). Same shape as education's; the name is accepted for
 * that reason but neither stored nor published (the personnummer identifies the child).
 */
export class IdentifiedChildRequest {
  @ApiProperty({ description: PNR_DESCRIPTION, example: '201305152383' })
  @ToNormalizedPersonnummer()
  @IsPersonnummer()
  personnummer: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Accepted, not stored' })
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name?: string;

  @ApiPropertyOptional({ description: 'Skyddad identitet', default: false })
  @IsOptional()
  @IsBoolean({ message: 'protectedIdentity must be true or false' })
  protectedIdentity?: boolean;
}

/**
 * The participant of an intervention. The personnummer may be left out only for a service without
 * a needs assessment (checked against the catalog by the interventions rules).
 */
export class ParticipantRequest {
  @ApiPropertyOptional({ description: PNR_DESCRIPTION, example: '201305152383' })
  @IsOptional()
  @ToNormalizedPersonnummer()
  @IsPersonnummer()
  personnummer?: string;

  @ApiPropertyOptional({ description: 'Skyddad identitet', default: false })
  @IsOptional()
  @IsBoolean({ message: 'protectedIdentity must be true or false' })
  protectedIdentity?: boolean;
}
