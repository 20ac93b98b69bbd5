import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ROLES, Roles } from '@samverkan/auth';
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

  /** "Who received what about this child": the personnummer travels in the body, never in the URL. */
  @Post('search')
  @HttpCode(200)
  @ApiOkResponse({ type: DisclosureSearchResponse })
  async searchByChild(@Body() request: DisclosureSearchRequest): Promise<DisclosureSearchResponse> {
    return this.search.search(request.personnummer);
  }

  /** Every withholding, counted with its reason. */
  @Get('withholdings')
  @ApiOkResponse({ type: [WithholdingCount] })
  async withholdings(): Promise<WithholdingCount[]> {
    return this.search.withholdingCounts();
  }
}
