import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@samverkan/auth';
import { OPERATOR_ROLES } from '../access/operator-access';
import { ServicesHealthService } from './services-health.service';

@ApiTags('services')
@ApiBearerAuth()
@Roles(...OPERATOR_ROLES)
@Controller('services')
export class ServicesHealthController {
  constructor(@Inject(ServicesHealthService) private readonly health: ServicesHealthService) {}

  @Get('health')
  @ApiOperation({ summary: "Every app's /health (database, Kafka, outbox backlog) side by side" })
  all() {
    return this.health.checkAll();
  }
}
