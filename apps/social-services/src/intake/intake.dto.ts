import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import {
  IsPersonnummer,
  ToNormalizedPersonnummer,
  CONCERN_CATEGORIES,
  CONCERN_DECISION_OUTCOMES,
  PROTECTION_ASSESSMENT_OUTCOMES,
  type ConcernCategory,
  type ConcernDecisionOutcome,
  type ProtectionAssessmentOutcome,
} from '@samverkan/contracts';
import { PageQuery } from '../common/pagination.dto';
import { OVERDUE_KINDS, type OverdueKind } from './intake-deadlines';

export class IntakeQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'true: only items with an overdue step; false: only items without one',
  })
  @IsOptional()
  // Query strings are text: only the literal words count, anything else fails IsBoolean.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;
}

class IntakeChildView {
  @ApiProperty() personnummer: string;
  @ApiProperty() name: string;
  @ApiProperty() protectedIdentity: boolean;
}

class ReportingUnitView {
  @ApiProperty() schoolUnitCode: string;
  @ApiProperty() municipality: string;
}

class DeadlinesView {
  @ApiProperty({ format: 'date-time' }) protectionAssessmentDue: string;
  @ApiProperty({ format: 'date-time' }) decisionDue: string;
}

class AssessmentView {
  @ApiProperty({ enum: PROTECTION_ASSESSMENT_OUTCOMES }) outcome: ProtectionAssessmentOutcome;
  @ApiProperty({ format: 'date-time' }) assessedAt: string;
}

class DecisionView {
  @ApiProperty({ enum: CONCERN_DECISION_OUTCOMES }) outcome: ConcernDecisionOutcome;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
}

export class IntakeItemView {
  @ApiProperty({ format: 'uuid' }) reportId: string;
  @ApiProperty({ type: IntakeChildView }) child: IntakeChildView;
  @ApiProperty({ type: ReportingUnitView }) reportingUnit: ReportingUnitView;
  @ApiProperty({ enum: CONCERN_CATEGORIES, isArray: true }) categories: ConcernCategory[];
  @ApiProperty() immediateDanger: boolean;
  @ApiProperty({ description: 'A violence category was reported' }) violenceSuspected: boolean;
  @ApiProperty({
    description:
      'Suspected violence against the child: an investigation is opened directly (no förhandsbedömning); record the decision investigation-opened',
  })
  investigationOpensDirectly: boolean;
  @ApiProperty({ format: 'date-time' }) filedAt: string;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty() receivedOutsideOfficeHours: boolean;
  @ApiProperty({ type: DeadlinesView }) deadlines: DeadlinesView;
  @ApiProperty({ type: AssessmentView, nullable: true }) protectionAssessment: AssessmentView | null;
  @ApiProperty({ type: DecisionView, nullable: true }) decision: DecisionView | null;
  @ApiProperty({ enum: OVERDUE_KINDS, isArray: true }) overdue: OverdueKind[];
}

export class IntakePage {
  @ApiProperty({ type: IntakeItemView, isArray: true }) items: IntakeItemView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

/** POST /intake/search: a child's reports. The personnummer travels in the body, never in a URL. */
export class IntakeSearchRequest {
  @ApiProperty({ description: 'Personnummer or samordningsnummer, 10 or 12 digits', example: '201305152383' })
  @ToNormalizedPersonnummer()
  @IsPersonnummer()
  personnummer: string;
}

export class IntakeSearchResult {
  @ApiProperty({ type: IntakeItemView, isArray: true }) items: IntakeItemView[];
}
