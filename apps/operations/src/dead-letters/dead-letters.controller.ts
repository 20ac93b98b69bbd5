import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@samverkan/auth';
import { AppError } from '@samverkan/platform';
import { OPERATOR_ROLES } from '../access/operator-access';
import { GroupIdParam } from '../common/group-id.param';
import { DeadLetterQuery, DiscardRequest, ReplayRequest } from './dead-letter.dto';
import { DeadLettersService } from './dead-letters.service';

@ApiTags('dead-letters')
@ApiBearerAuth()
@Roles(...OPERATOR_ROLES)
@Controller('dead-letters')
export class DeadLettersController {
  constructor(@Inject(DeadLettersService) private readonly letters: DeadLettersService) {}

  @Get(':groupId')
  @ApiOperation({
    summary: "A consumer group's dead letters, newest first",
    description: 'Personal data in payloads is masked unless the caller has the operator-privileged role.',
  })
  list(@GroupIdParam() groupId: string, @Query() query: DeadLetterQuery, @CurrentUser() user: AuthUser) {
    return this.letters.list(groupId, query, user);
  }

  @Get(':groupId/failure-groups')
  @ApiOperation({ summary: 'Dead letters grouped by error class and handler (event type), with counts' })
  failureGroups(@GroupIdParam() groupId: string) {
    return this.letters.failureGroups(groupId);
  }

  @Post(':groupId/replay')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replay dead letters to their original topic (by ids, or every open one of an error class)',
    description: "Original key and headers, plus ops_replay_of. A replay's own dead letter is refused.",
  })
  replay(@GroupIdParam() groupId: string, @Body() body: ReplayRequest, @CurrentUser() user: AuthUser) {
    if ((body.ids === undefined) === (body.errorClass === undefined))
      throw AppError.validation([{ field: 'ids', message: 'give either ids or errorClass, not both' }]);
    return this.letters.replay(groupId, body, user);
  }

  @Post(':groupId/discard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Discard dead letters with a reason (hidden from the list, kept in Kafka)' })
  discard(@GroupIdParam() groupId: string, @Body() body: DiscardRequest, @CurrentUser() user: AuthUser) {
    return this.letters.discard(groupId, body, user);
  }
}
