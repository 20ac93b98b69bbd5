import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CATALOG_CODES,
  INTERVENTION_BASES,
  INTERVENTION_END_REASONS,
  IsCatalogCode,
  IsRfc3339,
  Nested,
  OrganisationUnit,
  type InterventionBasis,
  type InterventionEndReason,
} from '@samverkan/contracts';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { ParticipantRequest } from '../common/child.dto';
import { INTERVENTION_STAGES, type InterventionStage } from './intervention.entity';

export const NEW_INTERVENTION_STAGES = [
  'referred',
  'started',
] as const satisfies readonly InterventionStage[];
export type NewInterventionStage = (typeof NEW_INTERVENTION_STAGES)[number];

export class CreateInterventionRequest {
  @ApiProperty({
    enum: NEW_INTERVENTION_STAGES,
    description: 'A referral to a provider, or an intervention social services starts itself',
  })
  @IsIn(NEW_INTERVENTION_STAGES, { message: `stage must be one of ${NEW_INTERVENTION_STAGES.join(', ')}` })
  stage: NewInterventionStage;

  @ApiProperty({ enum: CATALOG_CODES, description: 'A code of the intervention catalog' })
  @IsCatalogCode()
  catalogCode: string;

  @ApiProperty({ enum: INTERVENTION_BASES })
  @IsIn(INTERVENTION_BASES, { message: `basis must be one of ${INTERVENTION_BASES.join(', ')}` })
  basis: InterventionBasis;

  @ApiPropertyOptional({
    type: ParticipantRequest,
    description:
      'Required after a decision. A service without a needs assessment may be given without a personnummer (then nothing is published)',
  })
  @IsOptional()
  @Nested(() => ParticipantRequest)
  child?: ParticipantRequest;

  @ApiPropertyOptional({ format: 'date-time', description: 'When it was referred or started; default now' })
  @IsOptional()
  @IsRfc3339()
  at?: string;

  @ApiPropertyOptional({ type: OrganisationUnit, description: 'Referrals: the unit asked to provide it' })
  @IsOptional()
  @Nested(() => OrganisationUnit)
  receivingUnit?: OrganisationUnit;

  @ApiPropertyOptional({ format: 'uuid', description: 'Referrals: a scheduled course' })
  @IsOptional()
  @IsUUID()
  courseId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Started: the referral it answers' })
  @IsOptional()
  @IsUUID()
  referralId?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10,
    description: "Started: the child's school year (0 = förskoleklass)",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  schoolYear?: number;
}

export class EndInterventionRequest {
  @ApiProperty({ enum: INTERVENTION_END_REASONS })
  @IsIn(INTERVENTION_END_REASONS, { message: `reason must be one of ${INTERVENTION_END_REASONS.join(', ')}` })
  reason: InterventionEndReason;

  @ApiPropertyOptional({ format: 'date-time', description: 'When it ended; default now' })
  @IsOptional()
  @IsRfc3339()
  endedAt?: string;
}

export class InterventionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: INTERVENTION_STAGES }) stage: InterventionStage;
  @ApiProperty() catalogCode: string;
  @ApiProperty({ enum: INTERVENTION_BASES }) basis: InterventionBasis;
  @ApiProperty({ description: 'False for an anonymous participant: kept locally, not published' })
  identified: boolean;
  @ApiProperty() unitCode: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) referredAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) endedAt: string | null;
  @ApiPropertyOptional({ enum: INTERVENTION_END_REASONS, nullable: true })
  endReason: InterventionEndReason | null;
}
