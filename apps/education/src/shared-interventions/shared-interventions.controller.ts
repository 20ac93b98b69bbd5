import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EDUCATION_ROLES, EducationAccess } from '../common/access';
import { SearchSharedInterventionsRequest, SharedInterventionsView } from './shared-interventions.dto';
import { SharedInterventionsService } from './shared-interventions.service';

@ApiTags('shared-interventions')
@EducationAccess(EDUCATION_ROLES.STUDENT_HEALTH)
@Controller('shared-interventions')
export class SharedInterventionsController {
  constructor(private readonly shared: SharedInterventionsService) {}

  @Post('search')
  @HttpCode(200)
  @ApiOperation({
    summary: "Interventions other agencies shared about a child under the guardians' consent",
    description:
      'The personnummer goes in the body, never in the URL. Returns an empty list when nothing was shared ' +
      '(the router delivers intervention events to education only under a consent in force).',
  })
  @ApiOkResponse({ type: SharedInterventionsView })
  @ApiBadRequestResponse({ description: 'personnummer invalid' })
  async search(@Body() body: SearchSharedInterventionsRequest): Promise<SharedInterventionsView> {
    return this.shared.search(body.personnummer);
  }
}
