import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@samverkan/auth';
import { OPERATOR_ROLES } from '../access/operator-access';
import { CatalogService } from './catalog.service';

@ApiTags('catalog')
@ApiBearerAuth()
@Roles(...OPERATOR_ROLES)
@Controller('catalog')
export class CatalogController {
  constructor(@Inject(CatalogService) private readonly catalog: CatalogService) {}

  @Get()
  @ApiOperation({ summary: 'Every event type: schema, producers, audiences (sharing policy), consumer groups' })
  all() {
    return this.catalog.all();
  }
}
