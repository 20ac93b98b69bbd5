import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@samverkan/auth';
import { SocialServicesAccess } from '../common/access';
import { UuidParam } from '../common/uuid-param';
import { ConcernReportView, DecisionRequest, ProtectionAssessmentRequest } from './concern-report.dto';
import { ConcernReportsService } from './concern-reports.service';

@ApiTags('concern-reports')
@SocialServicesAccess()
@Controller('concern-reports')
export class ConcernReportsController {
  constructor(@Inject(ConcernReportsService) private readonly reports: ConcernReportsService) {}

  @Get(':id')
  @ApiOperation({ summary: 'A report in the intake, with the description, the reporter and the steps taken' })
  @ApiOkResponse({ type: ConcernReportView })
  @ApiNotFoundResponse()
  get(@UuidParam() id: string): Promise<ConcernReportView> {
    return this.reports.get(id);
  }

  @Post(':id/protection-assessment')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record the immediate protection assessment (skyddsbedömning)',
    description:
      'Publishes samverkan.concern-report.protection-assessed.v1. The note stays in social services.',
  })
  @ApiOkResponse({ type: ConcernReportView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'INVALID_STATE: already assessed' })
  assess(
    @UuidParam() id: string,
    @Body() body: ProtectionAssessmentRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<ConcernReportView> {
    return this.reports.assess(id, body, user);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record the decision whether to open an investigation (förhandsbedömning)',
    description:
      'Publishes samverkan.concern-report.decided.v1; the router feeds back only the report id, the outcome and the date to the reporter.',
  })
  @ApiOkResponse({ type: ConcernReportView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'INVALID_STATE: already decided, or not yet assessed' })
  decide(
    @UuidParam() id: string,
    @Body() body: DecisionRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<ConcernReportView> {
    return this.reports.decide(id, body, user);
  }
}
