import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPersonnummer, ToNormalizedPersonnummer } from '@samverkan/contracts';

/** In the body, never in a URL: URLs end up in access logs. */
export class DisclosureSearchRequest {
  @ApiProperty({
    description: "The child's personnummer or samordningsnummer (10 or 12 digits)",
    example: '191212121212',
  })
  @ToNormalizedPersonnummer()
  @IsPersonnummer()
  personnummer: string;
}

export class DisclosureEntry {
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'samverkan.intervention.started.v1' }) eventType: string;
  @ApiProperty({
    description: "The producing agency: in a search, always the caller's",
    example: 'social-services',
  })
  from: string;
  @ApiProperty({ description: 'The audience', example: 'education' }) to: string;
  @ApiProperty({ enum: ['full', 'minimized', 'pseudonymized'] }) outcome: string;
  @ApiProperty({ description: 'Legal basis key (ce_legalbasis)', example: 'consent' }) legalBasis: string;
  @ApiProperty({ description: 'The legal references of the basis', example: 'OSL (2009:400) 12 kap. 2 §' })
  legalReference: string;
  @ApiPropertyOptional() consentId?: string;
  @ApiProperty({ description: 'ce_time of the event' }) eventTime: string;
  @ApiProperty({ description: 'When the router decided' }) routedAt: string;
}

export class WithholdingEntry {
  @ApiProperty() eventId: string;
  @ApiProperty() eventType: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ example: 'consent-withdrawn' }) reason: string;
  @ApiPropertyOptional() consentId?: string;
  @ApiProperty() eventTime: string;
  @ApiProperty() routedAt: string;
}

export class DisclosureSearchResponse {
  @ApiProperty({
    type: [DisclosureEntry],
    description: "Who received what about the child from the caller's agency's data, oldest first",
  })
  deliveries: DisclosureEntry[];
  @ApiProperty({
    type: [WithholdingEntry],
    description: "What of the caller's agency's data about the child was not delivered, and why",
  })
  withholdings: WithholdingEntry[];
}

export class WithholdingCount {
  @ApiProperty({ example: 'consent-withdrawn' }) reason: string;
  @ApiProperty({ example: 'samverkan.intervention.started.v1' }) eventType: string;
  @ApiProperty({ description: "The producing agency: always the caller's", example: 'social-services' })
  from: string;
  @ApiProperty({ description: 'The audience the events were withheld from', example: 'education' })
  to: string;
  @ApiProperty({ description: 'Withholdings of this reason, event type and audience' }) count: number;
}
