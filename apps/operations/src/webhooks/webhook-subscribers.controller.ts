import { Controller, Get, Headers, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@samverkan/auth';
import { OPERATOR_ROLES } from '../access/operator-access';
import { WebhookSubscribersService } from './webhook-subscribers.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles(...OPERATOR_ROLES)
@Controller('webhooks')
export class WebhookSubscribersController {
  constructor(@Inject(WebhookSubscribersService) private readonly subscribers: WebhookSubscribersService) {}

  @Get('subscribers')
  @ApiOperation({
    summary:
      'Every webhook subscriber: delivered / pending / failed, last success and failure, last error code, current backoff',
  })
  all(@Headers('authorization') authorization?: string) {
    return this.subscribers.all(authorization);
  }
}
