import { Body, Controller, Delete, HttpCode, Inject, Post } from '@nestjs/common';
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
import { ConsentView, GrantConsentRequest } from './consent.dto';
import { ConsentsService } from './consents.service';

@ApiTags('consents')
@SocialServicesAccess()
@Controller('consents')
export class ConsentsController {
  constructor(@Inject(ConsentsService) private readonly consents: ConsentsService) {}

  @Post()
  @ApiOperation({
    summary: "Record a guardian's consent",
    description: 'Publishes samverkan.consent.granted.v1.',
  })
  @ApiCreatedResponse({ type: ConsentView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  grant(@Body() body: GrantConsentRequest, @CurrentUser() user: AuthUser | undefined): Promise<ConsentView> {
    return this.consents.grant(body, user);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a consent', description: 'Publishes samverkan.consent.withdrawn.v1.' })
  @ApiOkResponse({ type: ConsentView })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'INVALID_STATE: already withdrawn' })
  withdraw(@UuidParam() id: string, @CurrentUser() user: AuthUser | undefined): Promise<ConsentView> {
    return this.consents.withdraw(id, user);
  }
}
