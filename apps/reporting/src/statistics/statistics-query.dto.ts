import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate, IsMunicipalityCode } from '@samverkan/contracts';
import { IsIn, IsOptional, Matches } from 'class-validator';

const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const STAT_FORMATS = ['json', 'csv'] as const;
export type StatFormat = (typeof STAT_FORMATS)[number];

/** Filters shared by every statistics endpoint. The period is inclusive local dates. */
export class StatisticsQuery {
  @ApiPropertyOptional({ example: '0781', description: 'SCB municipality code' })
  @IsOptional()
  @IsMunicipalityCode()
  municipality?: string;

  @ApiPropertyOptional({ description: 'District (stadsdel) code' })
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'must be a district code (letters, digits, . _ -, at most 64)' })
  district?: string;

  @ApiPropertyOptional({ description: 'Unit code (school unit, IFO unit, leisure unit)' })
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'must be a unit code (letters, digits, . _ -, at most 64)' })
  unit?: string;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'First day of the period (inclusive)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last day of the period (inclusive)' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ enum: STAT_FORMATS, description: 'Overrides the Accept header' })
  @IsOptional()
  @IsIn(STAT_FORMATS)
  format?: StatFormat;
}

/** The follow-up needs a period P (the cohort's index events) and does not split by unit. */
export class FollowUpQuery {
  @ApiPropertyOptional({ example: '0781' })
  @IsOptional()
  @IsMunicipalityCode()
  municipality?: string;

  @ApiPropertyOptional({ example: '2024-01-01', description: 'First day of P (required)' })
  @IsCalendarDate()
  from: string;

  @ApiPropertyOptional({ example: '2024-12-31', description: 'Last day of P (required)' })
  @IsCalendarDate()
  to: string;

  @ApiPropertyOptional({ enum: STAT_FORMATS })
  @IsOptional()
  @IsIn(STAT_FORMATS)
  format?: StatFormat;
}
