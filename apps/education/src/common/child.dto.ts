import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPersonnummer, ToNormalizedPersonnummer } from '@samverkan/contracts';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const PNR_DESCRIPTION =
  'Personnummer or samordningsnummer: 10 or 12 digits, optionally with - or + before the last four; stored and sent as 12 digits';

/** A child identified by personnummer; the name is optional (absence flags, consents). */
export class ChildRequest {
  @ApiProperty({ description: PNR_DESCRIPTION, example: '201305152383' })
  @ToNormalizedPersonnummer()
  @IsPersonnummer()
  personnummer: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @IsString({ message: 'name must be a string' })
  name?: string;

  @ApiPropertyOptional({
    description: 'Skyddad identitet: the record never leaves education except to social services',
    default: false,
  })
  @IsOptional()
  @IsBoolean({ message: 'protectedIdentity must be true or false' })
  protectedIdentity?: boolean;
}

/** A child who must be named (a concern report names the child). */
export class NamedChildRequest {
  @ApiProperty({ description: PNR_DESCRIPTION, example: '201305152383' })
  @ToNormalizedPersonnummer()
  @IsPersonnummer()
  personnummer: string;

  @ApiProperty({ maxLength: 200 })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @IsString({ message: 'name must be a string' })
  name: string;

  @ApiPropertyOptional({
    description: 'Skyddad identitet: the record never leaves education except to social services',
    default: false,
  })
  @IsOptional()
  @IsBoolean({ message: 'protectedIdentity must be true or false' })
  protectedIdentity?: boolean;
}
