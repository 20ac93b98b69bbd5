import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  INTERVENTION_CATALOG,
  INTERVENTION_CATALOG_VERSION,
  isCourseProgramme,
  type CompletionRule,
  type InterventionCatalogEntry,
  type LateEnrolmentRule,
  type SessionPlan,
} from '@samverkan/contracts';
import { AnyCallerAccess } from '../common/access';

export class ProgrammeView {
  @ApiProperty() code: string;
  @ApiProperty() version: number;
  @ApiProperty() catalogVersion: number;
  @ApiProperty() name: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ enum: ['parent-program', 'child-group'] }) kind: string;
  @ApiProperty() preventionLevel: string;
  @ApiProperty({ type: [String] }) bases: string[];
  @ApiProperty() participants: string;
  @ApiProperty() targetAges: { min: number; max: number };
  @ApiPropertyOptional() groupSize?: { min: number; max: number };
  @ApiProperty() sessionPlan: SessionPlan;
  @ApiProperty({ description: 'share-of-sessions (minShare) or sessions-attended (min)' })
  completionRule: CompletionRule;
  @ApiProperty({ description: 'until-session (lastSession) or open' }) lateEnrolment: LateEnrolmentRule;
  @ApiProperty({ description: 'Participants may take part without a personnummer (an alias)' })
  anonymousParticipation: boolean;
}

export function programmeView(entry: InterventionCatalogEntry): ProgrammeView {
  return {
    code: entry.code,
    version: entry.version,
    catalogVersion: INTERVENTION_CATALOG_VERSION,
    name: entry.name,
    nameEn: entry.nameEn,
    kind: entry.kind,
    preventionLevel: entry.preventionLevel,
    bases: [...entry.bases],
    participants: entry.participants,
    targetAges: { ...entry.targetAges },
    ...(entry.groupSize ? { groupSize: { ...entry.groupSize } } : {}),
    sessionPlan: { ...entry.sessionPlan! },
    completionRule: { ...entry.completionRule },
    lateEnrolment: { ...entry.lateEnrolment },
    anonymousParticipation: entry.bases.includes('service-without-needs-assessment'),
  };
}

@ApiTags('programmes')
@Controller('programmes')
export class ProgrammesController {
  @Get()
  @AnyCallerAccess()
  @ApiOperation({
    summary: "The catalog's course programmes",
    description:
      'Parent programmes and child groups with a session plan, with their completion and late-enrolment rules.',
  })
  @ApiOkResponse({ type: [ProgrammeView] })
  list(): ProgrammeView[] {
    return INTERVENTION_CATALOG.filter((e) => isCourseProgramme(e.code)).map(programmeView);
  }
}
