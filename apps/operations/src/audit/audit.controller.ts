import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@samverkan/auth';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { OPERATOR_ROLES } from '../access/operator-access';
import { GROUP_ID_PATTERN } from '../common/kafka-connection';
import { AUDIT_ACTIONS, AuditService } from './audit.service';

export class AuditQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer between 1 and 500' })
  @Min(1, { message: 'must be an integer between 1 and 500' })
  @Max(500, { message: 'must be an integer between 1 and 500' })
  limit: number = 100;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(GROUP_ID_PATTERN, { message: 'must be a Kafka consumer group id' })
  groupId?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Roles(...OPERATOR_ROLES)
@Controller('audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Operator actions, newest first: who, what, when, why, on which dead letters' })
  list(@Query() query: AuditQueryDto) {
    return this.audit.list(query);
  }
}
