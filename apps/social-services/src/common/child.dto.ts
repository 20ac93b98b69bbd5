import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPersonnummer } from '@samverkan/contracts';
import { IsBoolean, IsOptional } from 'class-validator';

/** The child a request is about. The personnummer is accepted in 10 or 12 digits and stored as 12. */
export class ChildRequest {
  @ApiPropertyOptional({
    description: 'Personnummer or samordningsnummer, 10 or 12 digits',
    example: '201305152383',
  })
  @IsOptional()
  @IsPersonnummer()
  personnummer?: string;

  @ApiPropertyOptional({ description: 'Skyddad identitet', default: false })
  @IsOptional()
  @IsBoolean()
  protectedIdentity?: boolean;
}

/** A child who must be identified (consents, after-decision interventions). */
export class IdentifiedChildRequest {
  @ApiProperty({ description: 'Personnummer or samordningsnummer, 10 or 12 digits', example: '201305152383' })
  @IsPersonnummer()
  personnummer: string;

  @ApiPropertyOptional({ description: 'Skyddad identitet', default: false })
  @IsOptional()
  @IsBoolean()
  protectedIdentity?: boolean;
}
