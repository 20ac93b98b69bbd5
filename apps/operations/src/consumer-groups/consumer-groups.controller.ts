import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@samverkan/auth';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { OPERATOR_ROLES } from '../access/operator-access';
import { GroupIdParam } from '../common/group-id.param';
import { ConsumerGroupsService } from './consumer-groups.service';

export class HistoryQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 60, default: 60 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer between 1 and 60' })
  @Min(1, { message: 'must be an integer between 1 and 60' })
  @Max(60, { message: 'must be an integer between 1 and 60' })
  minutes: number = 60;
}

@ApiTags('consumer-groups')
@ApiBearerAuth()
@Roles(...OPERATOR_ROLES)
@Controller('consumer-groups')
export class ConsumerGroupsController {
  constructor(@Inject(ConsumerGroupsService) private readonly groups: ConsumerGroupsService) {}

  @Get()
  @ApiOperation({ summary: 'Every consumer group with its status, members and total lag (latest sample)' })
  list() {
    return this.groups.list();
  }

  @Get(':groupId')
  @ApiOperation({ summary: 'Members, assignments and per-partition offsets, lag and status of one group' })
  detail(@GroupIdParam() groupId: string) {
    return this.groups.detail(groupId);
  }

  @Get(':groupId/history')
  @ApiOperation({ summary: "The group's samples of the last hour (oldest first)" })
  history(@GroupIdParam() groupId: string, @Query() query: HistoryQuery) {
    return this.groups.history(groupId, query.minutes);
  }
}
