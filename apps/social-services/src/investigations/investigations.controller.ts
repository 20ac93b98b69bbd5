import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@samverkan/auth';
import { SocialServicesAccess } from '../common/access';
import { UuidParam } from '../common/uuid-param';
import {
  CloseInvestigationRequest,
  ExtendInvestigationRequest,
  InvestigationPage,
  InvestigationQuery,
  InvestigationView,
  OpenInvestigationRequest,
} from './investigation.dto';
import { InvestigationsService } from './investigations.service';

@ApiTags('investigations')
@SocialServicesAccess()
@Controller('investigations')
export class InvestigationsController {
  constructor(@Inject(InvestigationsService) private readonly investigations: InvestigationsService) {}

  @Get()
  @ApiOperation({
    summary: 'Child investigations (barnavårdsutredningar) with their deadlines, oldest first',
    description:
      '`overdue=true` lists open investigations past the deadline in force (four months from the opening, SoL 11:2, or the last extension). `reportId` finds the one a concern report opened.',
  })
  @ApiOkResponse({ type: InvestigationPage })
  @ApiBadRequestResponse({ description: 'One message per invalid query parameter' })
  list(@Query() query: InvestigationQuery): Promise<InvestigationPage> {
    return this.investigations.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One investigation with its deadline and extensions' })
  @ApiOkResponse({ type: InvestigationView })
  @ApiNotFoundResponse()
  get(@UuidParam() id: string): Promise<InvestigationView> {
    return this.investigations.get(id);
  }

  @Post()
  @ApiOperation({
    summary: 'Open an investigation without a concern report (an application, other information)',
    description:
      'An investigation on a concern report is opened by the decision investigation-opened on that report. Nothing is published on opening.',
  })
  @ApiCreatedResponse({ type: InvestigationView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  open(
    @Body() body: OpenInvestigationRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<InvestigationView> {
    return this.investigations.open(body, user);
  }

  @Post(':id/extend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extend the deadline for special reasons (SoL 11:2)',
    description:
      'A reason code and the new last day; decided before the deadline in force. Recorded here only, not published.',
  })
  @ApiOkResponse({ type: InvestigationView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'INVALID_STATE: already closed, or the deadline has passed' })
  extend(
    @UuidParam() id: string,
    @Body() body: ExtendInvestigationRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<InvestigationView> {
    return this.investigations.extend(id, body, user);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Close the investigation with its outcome',
    description:
      'Publishes samverkan.investigation.closed.v1 (stays in social services; the router sends reporting a pseudonymized copy).',
  })
  @ApiOkResponse({ type: InvestigationView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'INVALID_STATE: already closed' })
  close(
    @UuidParam() id: string,
    @Body() body: CloseInvestigationRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<InvestigationView> {
    return this.investigations.close(id, body, user);
  }
}
