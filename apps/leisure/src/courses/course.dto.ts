import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CATALOG_CODES,
  INTERVENTION_BASES,
  IsCalendarDate,
  IsMunicipalityCode,
  Nested,
  type InterventionBasis,
} from '@samverkan/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
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

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class SessionRequest {
  @ApiProperty({ minimum: 1, maximum: 100, description: '1-based position in the session plan' })
  @IsInt({ message: 'number must be an integer' })
  @Min(1, { message: 'number must be at least 1' })
  @Max(100, { message: 'number must be at most 100' })
  number: number;

  @ApiProperty({ format: 'date', example: '2027-02-03' })
  @IsCalendarDate()
  date: string;

  @ApiPropertyOptional({ example: '18:00', description: 'Local start time HH:MM (Europe/Stockholm)' })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startTime must be a time HH:MM' })
  startTime?: string;

  @ApiProperty({ minimum: 15, maximum: 600, description: 'Duration in minutes' })
  @IsInt({ message: 'minutes must be an integer' })
  @Min(15, { message: 'minutes must be at least 15' })
  @Max(600, { message: 'minutes must be at most 600' })
  minutes: number;
}

export class AgeRangeRequest {
  @ApiProperty({ minimum: 0, maximum: 25 })
  @IsInt({ message: 'min must be an integer' })
  @Min(0, { message: 'min must be at least 0' })
  @Max(25, { message: 'min must be at most 25' })
  min: number;

  @ApiProperty({ minimum: 0, maximum: 25 })
  @IsInt({ message: 'max must be an integer' })
  @Min(0, { message: 'max must be at least 0' })
  @Max(25, { message: 'max must be at most 25' })
  max: number;
}

export class ScheduleCourseRequest {
  @ApiProperty({ enum: CATALOG_CODES, description: 'A course programme of the intervention catalog' })
  @IsString({ message: 'programmeCode must be a string' })
  @IsIn(CATALOG_CODES, { message: 'programmeCode must be an intervention catalog code' })
  programmeCode: string;

  @ApiProperty({ description: "The organising unit: the caller's own unit code", example: 'fritid-centrum' })
  @Matches(CODE, { message: 'organisingUnit must be a unit code (letters, digits, . _ -, at most 64)' })
  organisingUnit: string;

  @ApiProperty({ example: '0781' })
  @IsMunicipalityCode()
  municipality: string;

  @ApiPropertyOptional({ description: 'Stadsdel / district, for the place exchange', example: 'norr' })
  @IsOptional()
  @Matches(CODE, { message: 'district must be a district code (letters, digits, . _ -, at most 64)' })
  district?: string;

  @ApiProperty({ minimum: 1, maximum: 500 })
  @IsInt({ message: 'capacity must be an integer' })
  @Min(1, { message: 'capacity must be at least 1' })
  @Max(500, { message: 'capacity must be at most 500' })
  capacity: number;

  @ApiProperty({ type: [SessionRequest] })
  @ArrayMinSize(1, { message: 'sessions must name at least one session' })
  @ArrayMaxSize(100, { message: 'sessions must name at most 100 sessions' })
  @Nested(() => SessionRequest, { each: true })
  sessions: SessionRequest[];

  @ApiProperty({ example: 'sv', description: 'ISO 639-1 language code' })
  @Matches(/^[a-z]{2}$/, { message: 'language must be an ISO 639-1 language code' })
  language: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Venue (a public place, never a home address)' })
  @IsOptional()
  @IsString({ message: 'location must be a string' })
  @IsNotEmpty({ message: 'location must not be empty' })
  @MaxLength(200, { message: 'location must be at most 200 characters' })
  location?: string;

  @ApiProperty({ type: AgeRangeRequest, description: "Within the programme's target ages" })
  @Nested(() => AgeRangeRequest)
  targetAges: AgeRangeRequest;

  @ApiPropertyOptional({
    enum: INTERVENTION_BASES,
    description:
      'The basis the course is given on, one the programme allows. Default: as a service without a needs assessment when the programme may be given so. Only such courses accept participants without a personnummer.',
  })
  @IsOptional()
  @IsIn(INTERVENTION_BASES, { message: `basis must be one of ${INTERVENTION_BASES.join(', ')}` })
  basis?: InterventionBasis;
}

/** An empty query parameter (`?program=&district=`, as a search form sends it) means "any". */
const EmptyIsAbsent = () => Transform(({ value }) => (value === '' ? undefined : value));

export class CourseQuery {
  @ApiPropertyOptional({ description: 'Programme code', enum: CATALOG_CODES })
  @EmptyIsAbsent()
  @IsOptional()
  @IsIn(CATALOG_CODES, { message: 'program must be an intervention catalog code' })
  program?: string;

  @ApiPropertyOptional()
  @EmptyIsAbsent()
  @IsOptional()
  @Matches(CODE, { message: 'district must be a district code' })
  district?: string;

  @ApiPropertyOptional({ example: '0781' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsMunicipalityCode()
  municipality?: string;

  @ApiPropertyOptional({ description: 'Only courses that take participants now and have a free place' })
  @IsOptional()
  @Transform(({ value }) =>
    value === 'true' ? true : value === 'false' ? false : value === '' ? undefined : value,
  )
  @IsBoolean({ message: 'hasPlaces must be true or false' })
  hasPlaces?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(100, { message: 'limit must be at most 100' })
  limit: number = 50;
}

export class SessionView {
  @ApiProperty() number: number;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiPropertyOptional() startTime?: string;
  @ApiProperty() minutes: number;
  @ApiProperty({ description: 'Attendance recorded' }) recorded: boolean;
}

export class CourseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() programmeCode: string;
  @ApiProperty() programmeName: string;
  @ApiProperty({ enum: INTERVENTION_BASES }) basis: InterventionBasis;
  @ApiProperty() organisingAgency: string;
  @ApiProperty() organisingUnit: string;
  @ApiProperty() municipality: string;
  @ApiPropertyOptional({ nullable: true }) district: string | null;
  @ApiProperty() capacity: number;
  @ApiProperty() enrolled: number;
  @ApiProperty() waitlisted: number;
  @ApiProperty({ description: 'Free places (0 when full)' }) placesAvailable: number;
  @ApiProperty({ description: 'Takes participants now (late-enrolment rule of the programme, not closed)' })
  open: boolean;
  @ApiProperty({ type: [SessionView] }) sessions: SessionView[];
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty() language: string;
  @ApiPropertyOptional({ nullable: true }) location: string | null;
  @ApiProperty({ type: AgeRangeRequest }) targetAges: { min: number; max: number };
  @ApiProperty({ enum: ['scheduled', 'completed'] }) status: string;
  @ApiPropertyOptional({ nullable: true, description: 'Counts only, once completed' })
  summary: Record<string, number> | null;
}
