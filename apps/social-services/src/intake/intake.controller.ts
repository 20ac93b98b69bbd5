import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SocialServicesAccess } from '../common/access';
import { IntakePage, IntakeQuery } from './intake.dto';
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
}
