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

/**
 * The disclosure log, read by the data owner of the agency whose data it is. Every handler answers
 * with the caller's own agency's records only (producer = the token's `agency` claim): that another
 * agency disclosed or withheld anything, even as a count, tells of that agency's work with children.
 * Only agencies that produce data own any records, so the agency check sits on the controller: an
 * empty answer to reporting or operations would read as "nothing was disclosed".
 */
@ApiTags('disclosures')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or an invalid bearer token' })
@ApiForbiddenResponse({
  description: 'The caller lacks the data-owner role, or its agency produces no data (reporting, operations)',
})
@Roles(ROLES.DATA_OWNER)
@Agencies(...PRODUCER_SERVICES)
@Controller('disclosures')
export class DisclosuresController {
  constructor(private readonly search: DisclosureSearchService) {}

  /**
   * "Who received what about this child", for the data owner of the caller's agency: the
   * personnummer travels in the body, never in the URL.
   */
  @Post('search')
  @HttpCode(200)
  @ApiOperation({
    summary: "Who received what about a child, from the caller's agency's data",
    description:
      "Deliveries and withholdings about the child whose source is the caller's own agency (the token's " +
      '`agency` claim): the router decided them on events that agency produced. Records about the same ' +
      "child from other agencies' data are never included, not even as withholdings: that another agency " +
      'disclosed or withheld something would reveal its involvement with the child.',
  })
  @ApiOkResponse({ type: DisclosureSearchResponse })
  async searchByChild(
    @Body() request: DisclosureSearchRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<DisclosureSearchResponse> {
    return this.search.search(request.personnummer, ownerAgencyOf(user));
  }

  /**
   * The caller's agency's withholdings, counted. No child is named, but the counts are small (one
   * withheld intervention is a count of 1), so other agencies' counts would tell when they acted.
   */
  @Get('withholdings')
  @ApiOperation({
    summary: "What of the caller's agency's data was withheld, counted by reason, event type and audience",
    description:
      "Withholdings of events whose source is the caller's own agency (the token's `agency` claim), counted " +
      "by reason, event type and audience. Other agencies' withholdings are never counted in: a count names " +
      'no child, but a count of 1 still tells that the other agency acted (say, started an intervention ' +
      'that was withheld from school).',
  })
  @ApiOkResponse({ type: [WithholdingCount] })
  async withholdings(@CurrentUser() user: AuthUser | undefined): Promise<WithholdingCount[]> {
    return this.search.withholdingCounts(ownerAgencyOf(user));
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
