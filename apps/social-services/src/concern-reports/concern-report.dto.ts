import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONCERN_DECISION_OUTCOMES,
  IsRfc3339,
  PROTECTION_ASSESSMENT_OUTCOMES,
  type ConcernDecisionOutcome,
  type ProtectionAssessmentOutcome,
} from '@samverkan/contracts';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IntakeItemView } from '../intake/intake.dto';

export const ASSESSMENT_NOTE_MAX_LENGTH = 4000;

export class ProtectionAssessmentRequest {
  @ApiProperty({ enum: PROTECTION_ASSESSMENT_OUTCOMES })
  @IsIn(PROTECTION_ASSESSMENT_OUTCOMES, {
    message: `outcome must be one of ${PROTECTION_ASSESSMENT_OUTCOMES.join(', ')}`,
  })
  outcome: ProtectionAssessmentOutcome;

  @ApiProperty({ format: 'date-time', description: 'When the assessment was made (RFC 3339)' })
  @IsRfc3339()
  assessedAt: string;

  @ApiPropertyOptional({
    maxLength: ASSESSMENT_NOTE_MAX_LENGTH,
    description: 'Free text for the case file; stays in social services, never in an event',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(ASSESSMENT_NOTE_MAX_LENGTH)
  note?: string;
}

export class DecisionRequest {
  @ApiProperty({ enum: CONCERN_DECISION_OUTCOMES })
  @IsIn(CONCERN_DECISION_OUTCOMES, {
    message: `decision must be one of ${CONCERN_DECISION_OUTCOMES.join(', ')}`,
  })
  decision: ConcernDecisionOutcome;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the decision was made; default now' })
  @IsOptional()
  @IsRfc3339()
  decidedAt?: string;
}

/** A report as the social worker sees it: the intake view plus the description and the reporter. */
export class ConcernReportView extends IntakeItemView {
  @ApiProperty() description: string;
  @ApiProperty({ description: 'The reporter: role, name and work contact' })
  reporter: { role: string; name: string; contact: { email?: string; phone?: string } };
  @ApiPropertyOptional({ nullable: true }) assessmentNote: string | null;
}
