import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate, IsSchoolUnitCode, Nested } from '@samverkan/contracts';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { ChildRequest } from '../common/child.dto';

export class PeriodRequest {
  @ApiProperty({ format: 'date', example: '2026-09-01' })
  @IsCalendarDate({ message: 'from must be a calendar date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ format: 'date', example: '2026-11-20', description: 'Inclusive; not before from' })
  @IsCalendarDate({ message: 'to must be a calendar date YYYY-MM-DD' })
  to: string;
}

/** POST /school-absence-flags: repeated or long absence (skollagen 7:19 a); the law sets no threshold. */
export class FlagSchoolAbsenceRequest {
  @ApiProperty({ type: ChildRequest })
  @Nested(() => ChildRequest)
  child: ChildRequest;

  @ApiProperty({
    description: "Skolverket school unit code; must be the caller's own unit",
    example: '12345678',
  })
  @IsSchoolUnitCode({ message: 'schoolUnitCode must be an eight-digit Skolverket school unit code' })
  schoolUnitCode: string;

  @ApiProperty({ type: PeriodRequest })
  @Nested(() => PeriodRequest)
  period: PeriodRequest;

  @ApiProperty({
    minimum: 0,
    maximum: 1,
    description: 'Share of scheduled time absent in the period',
    example: 0.23,
  })
  @Max(1, { message: 'absenceRate must be a number from 0 to 1' })
  @Min(0, { message: 'absenceRate must be a number from 0 to 1' })
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: 'absenceRate must be a number from 0 to 1' },
  )
  absenceRate: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'Share absent without valid reason (ogiltig frånvaro)',
  })
  @IsOptional()
  @Max(1, { message: 'unexcusedRate must be a number from 0 to 1' })
  @Min(0, { message: 'unexcusedRate must be a number from 0 to 1' })
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: 'unexcusedRate must be a number from 0 to 1' },
  )
  unexcusedRate?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 10, description: 'School year (0 = förskoleklass)' })
  @IsOptional()
  @Max(10, { message: 'schoolYear must be an integer from 0 to 10' })
  @Min(0, { message: 'schoolYear must be an integer from 0 to 10' })
  @IsInt({ message: 'schoolYear must be an integer from 0 to 10' })
  schoolYear?: number;
}

export class SchoolAbsenceFlagView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() schoolUnitCode: string;
  @ApiProperty({ type: PeriodRequest }) period: { from: string; to: string };
  @ApiProperty() absenceRate: number;
  @ApiPropertyOptional({ nullable: true }) unexcusedRate: number | null;
  @ApiPropertyOptional({ nullable: true }) schoolYear: number | null;
  @ApiProperty({ format: 'date-time' }) flaggedAt: string;
}
