import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@samverkan/auth';
import { UuidParam } from '@samverkan/platform';
import type { Response } from 'express';
import { EDUCATION_ROLES, EducationAccess } from '../common/access';
import {
  IDEMPOTENCY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  parseIdempotencyKey,
} from '../idempotency/idempotency';
import { ConsentView, GrantConsentRequest } from './consent.dto';
import { ConsentsService } from './consents.service';

@ApiTags('consents')
@EducationAccess(EDUCATION_ROLES.CONSENT_ADMIN)
@Controller('consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Record a guardian's consent", description: 'Publishes consent.granted.v1.' })
  @ApiHeader({ name: IDEMPOTENCY_HEADER, required: false })
  @ApiCreatedResponse({ type: ConsentView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  @ApiConflictResponse({ description: 'IDEMPOTENCY_KEY_REUSED' })
  async grant(
    @CurrentUser() user: AuthUser,
    @Body() body: GrantConsentRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConsentView> {
    const { view, replayed } = await this.consents.grant(user, body, parseIdempotencyKey(idempotencyKey));
    if (replayed) res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
    return view;
  }

  @Get(':id')
  @ApiOperation({ summary: "A consent recorded by the caller's unit" })
  @ApiOkResponse({ type: ConsentView })
  @ApiNotFoundResponse({ description: "No such consent recorded by the caller's unit" })
  async get(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<ConsentView> {
    return this.consents.get(user, id);
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Withdraw a consent',
    description: 'Publishes consent.withdrawn.v1 once; the record is kept, marked withdrawn.',
  })
  @ApiOkResponse({ type: ConsentView })
  @ApiNotFoundResponse({ description: "No such consent recorded by the caller's unit" })
  async withdraw(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<ConsentView> {
    return this.consents.withdraw(user, id);
  }
}
