import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
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
import { CreateInterventionRequest, EndInterventionRequest, InterventionView } from './intervention.dto';
import { InterventionsService } from './interventions.service';

@ApiTags('interventions')
@SocialServicesAccess()
@Controller('interventions')
export class InterventionsController {
  constructor(@Inject(InterventionsService) private readonly interventions: InterventionsService) {}

  @Post()
  @ApiOperation({
    summary: 'Record a referral or a started intervention',
    description:
      'Publishes samverkan.intervention.referred.v1 or samverkan.intervention.started.v1 (not for an anonymous participant).',
  })
  @ApiCreatedResponse({ type: InterventionView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  create(
    @Body() body: CreateInterventionRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<InterventionView> {
    return this.interventions.create(body, user);
  }

  @Post(':id/end')
  @HttpCode(200)
  @ApiOperation({
    summary: 'End a started intervention',
    description: 'Publishes samverkan.intervention.ended.v1.',
  })
  @ApiOkResponse({ type: InterventionView })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'INVALID_STATE: not started, or already ended' })
  end(
    @UuidParam() id: string,
    @Body() body: EndInterventionRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<InterventionView> {
    return this.interventions.end(id, body, user);
  }
}
