import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  INVESTIGATION_OUTCOMES,
  IsCalendarDate,
  IsRfc3339,
  Nested,
  type InvestigationOutcome,
} from '@samverkan/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { IdentifiedChildRequest } from '../common/child.dto';
import { PageQuery } from '../common/pagination.dto';
import {
  DIRECT_INVESTIGATION_TRIGGERS,
  INVESTIGATION_EXTENSION_REASONS,
  INVESTIGATION_TRIGGERS,
  type DirectInvestigationTrigger,
  type InvestigationExtensionReason,
  type InvestigationTrigger,
} from './investigation-rules';

export class InvestigationQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'true: only open investigations past their deadline; false: only those that are not',
  })
  @IsOptional()
  // Query strings are text: only the literal words count, anything else fails IsBoolean.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'The investigation a concern report opened' })
  @IsOptional()
  @IsUUID('all', { message: 'reportId must be a UUID' })
  reportId?: string;
}

/** POST /investigations: opened without a concern report (an application from a guardian, other information). */
export class OpenInvestigationRequest {
  @ApiProperty({
    enum: DIRECT_INVESTIGATION_TRIGGERS,
    description:
      'Why it is opened; an investigation on a concern report is opened by the decision on that report',
  })
  @IsIn(DIRECT_INVESTIGATION_TRIGGERS, {
    message: `trigger must be one of ${DIRECT_INVESTIGATION_TRIGGERS.join(', ')}`,
  })
  trigger: DirectInvestigationTrigger;

  @ApiProperty({ type: IdentifiedChildRequest })
  @Nested(() => IdentifiedChildRequest)
  child: IdentifiedChildRequest;

  @ApiPropertyOptional({ format: 'date-time', description: 'When it was opened; default now' })
  @IsOptional()
  @IsRfc3339()
  openedAt?: string;
}

export class ExtendInvestigationRequest {
  @ApiProperty({
    enum: INVESTIGATION_EXTENSION_REASONS,
    description: 'The special reason, as a code; the reasoning itself belongs in the case file',
  })
  @IsIn(INVESTIGATION_EXTENSION_REASONS, {
    message: `reason must be one of ${INVESTIGATION_EXTENSION_REASONS.join(', ')}`,
  })
  reason: InvestigationExtensionReason;

  @ApiProperty({ format: 'date', description: 'The new last day (inclusive), after the current deadline' })
  @IsCalendarDate()
  until: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the extension was decided; default now. Must be before the current deadline',
  })
  @IsOptional()
  @IsRfc3339()
  decidedAt?: string;
}

export class CloseInvestigationRequest {
  @ApiProperty({ enum: INVESTIGATION_OUTCOMES })
  @IsIn(INVESTIGATION_OUTCOMES, { message: `outcome must be one of ${INVESTIGATION_OUTCOMES.join(', ')}` })
  outcome: InvestigationOutcome;

  @ApiProperty({ format: 'date-time', description: 'When the investigation was completed (RFC 3339)' })
  @IsRfc3339()
  closedAt: string;
}

class InvestigationChildView {
  @ApiProperty() personnummer: string;
  @ApiProperty() protectedIdentity: boolean;
}

class ExtensionView {
  @ApiProperty({ enum: INVESTIGATION_EXTENSION_REASONS }) reason: InvestigationExtensionReason;
  @ApiProperty({ format: 'date' }) until: string;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
  @ApiProperty() decidedByUnit: string;
}

class InvestigationDeadlineView {
  @ApiProperty({ format: 'date-time', description: 'Four months after the opening (SoL 11:2)' })
  statutoryDue: string;
  @ApiProperty({ format: 'date-time', description: 'The deadline in force (the last extension, if any)' })
  due: string;
  @ApiProperty({ type: ExtensionView, isArray: true }) extensions: ExtensionView[];
}

export class InvestigationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) reportId: string | null;
  @ApiProperty({ enum: INVESTIGATION_TRIGGERS }) trigger: InvestigationTrigger;
  @ApiProperty({ type: InvestigationChildView }) child: InvestigationChildView;
  @ApiProperty({ description: 'The investigating unit' }) unitCode: string;
  @ApiProperty({ format: 'date-time' }) openedAt: string;
  @ApiProperty({ type: InvestigationDeadlineView }) deadline: InvestigationDeadlineView;
  @ApiProperty({ description: 'Open and past the deadline in force' }) overdue: boolean;
  @ApiProperty({ enum: ['open', 'closed'] }) status: 'open' | 'closed';
  @ApiPropertyOptional({ enum: INVESTIGATION_OUTCOMES, nullable: true }) outcome: InvestigationOutcome | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) closedAt: string | null;
}

export class InvestigationPage {
  @ApiProperty({ type: InvestigationView, isArray: true }) items: InvestigationView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
