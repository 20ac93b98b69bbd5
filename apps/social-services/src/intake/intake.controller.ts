import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SocialServicesAccess } from '../common/access';
import { IntakePage, IntakeQuery, IntakeSearchRequest, IntakeSearchResult } from './intake.dto';
import { IntakeService } from './intake.service';

@ApiTags('intake')
@SocialServicesAccess()
@Controller('intake')
export class IntakeController {
  constructor(@Inject(IntakeService) private readonly intake: IntakeService) {}

  @Get()
  @ApiOperation({
    summary: 'The intake register: concern reports with their deadlines, oldest first',
    description:
      '`overdue=true` lists reports whose protection assessment or decision is past due and not done.',
  })
  @ApiOkResponse({ type: IntakePage })
  list(@Query() query: IntakeQuery): Promise<IntakePage> {
    return this.intake.list(query);
  }

  @Post('search')
  @HttpCode(200)
  @ApiOperation({ summary: "A child's reports in the intake (personnummer in the body, never in a URL)" })
  @ApiOkResponse({ type: IntakeSearchResult })
  @ApiBadRequestResponse({ description: 'personnummer invalid' })
  async search(@Body() body: IntakeSearchRequest): Promise<IntakeSearchResult> {
    return { items: await this.intake.forChild(body.personnummer) };
  }
}
