import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@samverkan/auth';
import { UuidParam } from '@samverkan/platform';
import type { Response } from 'express';
import { EDUCATION_ROLES, EducationAccess } from '../common/access';
import {
  IDEMPOTENCY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  parseIdempotencyKey,
} from '../idempotency/idempotency';
import { ConcernReportView, FileConcernReportRequest } from './concern-report.dto';
import { ConcernReportsService } from './concern-reports.service';

@ApiTags('concern-reports')
@EducationAccess(EDUCATION_ROLES.REPORTER)
@Controller('concern-reports')
export class ConcernReportsController {
  constructor(private readonly reports: ConcernReportsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'File a concern report (orosanmälan)',
    description:
      'Stores the report and publishes concern-report.filed.v1 in one transaction. With an Idempotency-Key, ' +
      'a retry returns the same report (and raises no second event); the same key with another request is a 409.',
  })
  @ApiHeader({
    name: IDEMPOTENCY_HEADER,
    required: false,
    description: '1–255 visible ASCII characters, e.g. a UUID',
  })
  @ApiCreatedResponse({ type: ConcernReportView })
  @ApiBadRequestResponse({ description: 'One message per invalid field; nothing stored, nothing published' })
  @ApiConflictResponse({ description: 'IDEMPOTENCY_KEY_REUSED: the key was used with a different request' })
  async file(
    @CurrentUser() user: AuthUser,
    @Body() body: FileConcernReportRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConcernReportView> {
    const { view, replayed } = await this.reports.file(user, body, parseIdempotencyKey(idempotencyKey));
    if (replayed) res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
    return view;
  }

  @Get(':id')
  @ApiOperation({
    summary: "A report of the caller's own unit and its feedback status",
    description:
      'awaiting, investigation-opened, investigation-not-opened or investigation-already-ongoing, with dates.',
  })
  @ApiOkResponse({ type: ConcernReportView })
  @ApiNotFoundResponse({
    description: "No such report in the caller's unit (another unit's report is not revealed)",
  })
  async get(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<ConcernReportView> {
    return this.reports.get(user, id);
  }
}
