import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@samverkan/auth';
import type { Response } from 'express';
import { EDUCATION_ROLES, EducationAccess } from '../common/access';
import {
  IDEMPOTENCY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  parseIdempotencyKey,
} from '../idempotency/idempotency';
import { FlagSchoolAbsenceRequest, SchoolAbsenceFlagView } from './school-absence-flag.dto';
import { SchoolAbsenceService } from './school-absence.service';

@ApiTags('school-absence')
@EducationAccess(EDUCATION_ROLES.REPORTER, EDUCATION_ROLES.STUDENT_HEALTH)
@Controller('school-absence-flags')
export class SchoolAbsenceController {
  constructor(private readonly absence: SchoolAbsenceService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Flag repeated or long absence (skollagen 7 kap. 19 a §)',
    description: 'Publishes school-absence.flagged.v1 with the period and the absence rate.',
  })
  @ApiHeader({ name: IDEMPOTENCY_HEADER, required: false })
  @ApiCreatedResponse({ type: SchoolAbsenceFlagView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  @ApiConflictResponse({ description: 'IDEMPOTENCY_KEY_REUSED' })
  async flag(
    @CurrentUser() user: AuthUser,
    @Body() body: FlagSchoolAbsenceRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SchoolAbsenceFlagView> {
    const { view, replayed } = await this.absence.flag(user, body, parseIdempotencyKey(idempotencyKey));
    if (replayed) res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
    return view;
  }
}
