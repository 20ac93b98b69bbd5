import { IsInt, IsNumber, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Nested } from '../common/personal-data';
import { ChildIdentity, DateRange } from '../common/shared';
import { IsMunicipalityCode, IsRfc3339, IsSchoolUnitCode } from '../common/validators';

/**
 * A school noticed repeated or long absence (skollagen 7 kap. 19 a §). The law sets no threshold,
 * so the event carries the period and the rate rather than a verdict.
 */
export class SchoolAbsenceFlaggedV1 {
  @IsUUID()
  flagId: string;

  @Nested(() => ChildIdentity)
  child: ChildIdentity;

  @IsSchoolUnitCode()
  schoolUnitCode: string;

  @IsMunicipalityCode()
  municipality: string;

  @Nested(() => DateRange)
  period: DateRange;

  /** Share of scheduled time absent in the period, 0–1. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  absenceRate: number;

  /** Share of scheduled time absent without valid reason (ogiltig frånvaro), 0–1. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  unexcusedRate?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  schoolYear?: number;

  @IsRfc3339()
  flaggedAt: string;
}
