import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONCERN_CATEGORIES,
  CONCERN_DESCRIPTION_MAX_LENGTH,
  IsSchoolUnitCode,
  Nested,
  REPORTER_ROLES,
  type ConcernCategory,
  type ReporterRole,
} from '@samverkan/contracts';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { NamedChildRequest } from '../common/child.dto';
import { FEEDBACK_STATUSES, type FeedbackStatus } from './concern-report.entity';

// The pipe answers with one message per field, the first failing rule, and class-validator checks the
// decorator nearest the property first: the basic type rule therefore sits at the bottom of each list.

export class ReportingUnitRequest {
  @ApiProperty({
    description: "Skolverket school unit code (skolenhetskod), eight digits; must be the caller's own unit",
    example: '12345678',
  })
  @IsSchoolUnitCode({ message: 'schoolUnitCode must be an eight-digit Skolverket school unit code' })
  schoolUnitCode: string;
}

export class ReporterContactRequest {
  @ApiPropertyOptional({
    description: 'Work e-mail; an e-mail or a phone number is required',
    example: 'anna.larsson@skola.example.se',
  })
  // Required when there is no phone number, so a reporter can always be reached.
  @ValidateIf((contact: ReporterContactRequest) => contact.phone === undefined || contact.email !== undefined)
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail(
    { allow_utf8_local_part: false },
    { message: 'email must be an e-mail address (an e-mail or a phone number is required)' },
  )
  email?: string;

  @ApiPropertyOptional({
    description: 'Work phone; an e-mail or a phone number is required',
    example: '0372-789 00',
  })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,20}$/, {
    message: 'phone must be a phone number (digits, spaces, +, -, parentheses)',
  })
  phone?: string;
}

export class ReporterRequest {
  @ApiProperty({ enum: REPORTER_ROLES })
  @IsIn(REPORTER_ROLES, { message: `role must be one of ${REPORTER_ROLES.join(', ')}` })
  role: ReporterRole;

  @ApiProperty({ maxLength: 200 })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @IsString({ message: 'name must be a string' })
  name: string;

  @ApiProperty({ type: ReporterContactRequest })
  @Nested(() => ReporterContactRequest)
  contact: ReporterContactRequest;
}

/** POST /concern-reports: an orosanmälan from a mandatory reporter in school or preschool. */
export class FileConcernReportRequest {
  @ApiProperty({ type: NamedChildRequest })
  @Nested(() => NamedChildRequest)
  child: NamedChildRequest;

  @ApiProperty({ type: ReportingUnitRequest })
  @Nested(() => ReportingUnitRequest)
  reportingUnit: ReportingUnitRequest;

  @ApiProperty({ type: ReporterRequest })
  @Nested(() => ReporterRequest)
  reporter: ReporterRequest;

  @ApiProperty({
    enum: CONCERN_CATEGORIES,
    isArray: true,
    description: 'One or more codes from the fixed list',
  })
  @IsIn(CONCERN_CATEGORIES, {
    each: true,
    message: `each value in categories must be one of ${CONCERN_CATEGORIES.join(', ')}`,
  })
  @ArrayUnique({ message: 'categories must not repeat a category' })
  @ArrayMaxSize(CONCERN_CATEGORIES.length, {
    message: `categories must name at most ${CONCERN_CATEGORIES.length} categories`,
  })
  @ArrayMinSize(1, { message: 'categories must name at least one category' })
  @IsArray({ message: 'categories must be a list of category codes' })
  categories: ConcernCategory[];

  @ApiProperty({
    maxLength: CONCERN_DESCRIPTION_MAX_LENGTH,
    description: 'What the reporter has seen or heard',
  })
  @MaxLength(CONCERN_DESCRIPTION_MAX_LENGTH, {
    message: `description must be at most ${CONCERN_DESCRIPTION_MAX_LENGTH} characters`,
  })
  @Matches(/\S/, { message: 'description must not be blank' })
  @IsNotEmpty({ message: 'description must not be empty' })
  @IsString({ message: 'description must be a string' })
  description: string;

  @ApiProperty({ description: 'The child is in immediate danger' })
  @IsBoolean({ message: 'immediateDanger must be true or false' })
  immediateDanger: boolean;
}

export class FeedbackView {
  @ApiProperty({ enum: FEEDBACK_STATUSES, description: 'awaiting until social services has decided' })
  status: FeedbackStatus;

  @ApiProperty({ format: 'date-time' })
  filedAt: string;

  @ApiPropertyOptional({
    format: 'date-time',
    nullable: true,
    description: 'When the decision reached education',
  })
  feedbackReceivedAt: string | null;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, description: 'When social services decided' })
  decidedAt: string | null;
}

class ChildView {
  @ApiProperty() personnummer: string;
  @ApiProperty() name: string;
  @ApiProperty() protectedIdentity: boolean;
}

class ReporterView {
  @ApiProperty({ enum: REPORTER_ROLES }) role: ReporterRole;
  @ApiProperty() name: string;
  @ApiProperty({ type: ReporterContactRequest }) contact: { email?: string; phone?: string };
}

/**
 * A report as its own unit sees it: exactly what the unit filed, plus the feedback (the outcome and
 * its dates), and nothing else about the case.
 */
export class ConcernReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: ChildView }) child: ChildView;
  @ApiProperty({ type: ReportingUnitRequest }) reportingUnit: { schoolUnitCode: string };
  @ApiProperty({ type: ReporterView }) reporter: ReporterView;
  @ApiProperty({ enum: CONCERN_CATEGORIES, isArray: true }) categories: ConcernCategory[];
  @ApiProperty() description: string;
  @ApiProperty() immediateDanger: boolean;
  @ApiProperty({ type: FeedbackView }) feedback: FeedbackView;
}
