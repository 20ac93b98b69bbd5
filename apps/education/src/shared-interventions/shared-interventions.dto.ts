import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGENCIES, IsPersonnummer, ToNormalizedPersonnummer, type Agency } from '@samverkan/contracts';
import { SHARED_INTERVENTION_KINDS, type SharedInterventionKind } from './shared-intervention-event.entity';

/** The look-up is a POST so the personnummer travels in the body, never in a URL (access logs). */
export class SearchSharedInterventionsRequest {
  @ApiProperty({ description: 'Personnummer or samordningsnummer, 10 or 12 digits', example: '201305152383' })
  @ToNormalizedPersonnummer()
  @IsPersonnummer()
  personnummer: string;
}

class UnitView {
  @ApiProperty({ enum: AGENCIES }) agency: Agency;
  @ApiProperty() unitCode: string;
}

export class SharedInterventionEventView {
  @ApiProperty({ enum: SHARED_INTERVENTION_KINDS }) kind: SharedInterventionKind;
  @ApiProperty({ format: 'uuid', description: 'interventionId, or referralId for a referral' })
  interventionId: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) referralId: string | null;
  @ApiProperty({ description: 'Intervention catalog code' }) catalogCode: string;
  @ApiProperty() basis: string;
  @ApiProperty({
    type: UnitView,
    description: 'Performing unit (started/ended) or referring unit (referred)',
  })
  unit: UnitView;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiPropertyOptional({ nullable: true }) endReason: string | null;
}

export class SharedInterventionsView {
  @ApiProperty({
    type: SharedInterventionEventView,
    isArray: true,
    description: 'Oldest first; empty without consent',
  })
  events: SharedInterventionEventView[];
}
