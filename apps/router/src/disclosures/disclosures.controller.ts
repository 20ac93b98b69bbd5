import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Agencies, type AuthUser, CurrentUser, ROLES, Roles } from '@samverkan/auth';
import { PRODUCER_SERVICES, type ProducerService } from '@samverkan/contracts';
import { AppError, AppErrorCode } from '@samverkan/platform';
import { DisclosureSearchRequest, DisclosureSearchResponse, WithholdingCount } from './disclosure-search.dto';
import { DisclosureSearchService } from './disclosure-search.service';

@ApiTags('disclosures')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or an invalid bearer token' })
@ApiForbiddenResponse({ description: 'The caller lacks the data-owner role' })
@Roles(ROLES.DATA_OWNER)
@Controller('disclosures')
export class DisclosuresController {
  constructor(private readonly search: DisclosureSearchService) {}

  /**
   * "Who received what about this child", for the data owner of the caller's agency: the
   * personnummer travels in the body, never in the URL. Only agencies that produce data own any
   * records; an empty answer to reporting or operations would read as "nothing was disclosed".
   */
  @Post('search')
  @HttpCode(200)
  @Agencies(...PRODUCER_SERVICES)
  @ApiOperation({
    summary: "Who received what about a child, from the caller's agency's data",
    description:
      "Deliveries and withholdings about the child whose source is the caller's own agency (the token's " +
      '`agency` claim): the router decided them on events that agency produced. Records about the same ' +
      "child from other agencies' data are never included, not even as withholdings: that another agency " +
      'disclosed or withheld something would reveal its involvement with the child.',
  })
  @ApiOkResponse({ type: DisclosureSearchResponse })
  @ApiForbiddenResponse({
    description:
      'The caller lacks the data-owner role, or its agency produces no data (reporting, operations)',
  })
  async searchByChild(
    @Body() request: DisclosureSearchRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<DisclosureSearchResponse> {
    return this.search.search(request.personnummer, ownerAgencyOf(user));
  }

  /** Every withholding, counted with its reason. */
  @Get('withholdings')
  @ApiOkResponse({ type: [WithholdingCount] })
  async withholdings(): Promise<WithholdingCount[]> {
    return this.search.withholdingCounts();
  }
}

/** The guard has admitted only producing agencies; this narrows the claim's type, and fails closed. */
function ownerAgencyOf(user: AuthUser | undefined): ProducerService {
  const agency = user?.agency;
  if (agency === undefined || !(PRODUCER_SERVICES as readonly string[]).includes(agency)) {
    throw new AppError(AppErrorCode.FORBIDDEN, "The caller's agency owns no disclosure records");
  }
  return agency as ProducerService;
}
