import { Body, Controller, Delete, Get, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@samverkan/auth';
import { UuidParam } from '@samverkan/platform';
import { CourseAdminAccess, EnrolmentAccess } from '../common/access';
import { EnrollmentView, EnrollRequest, WithdrawRequest } from './enrollment.dto';
import { EnrollmentsService } from './enrollments.service';

@ApiTags('enrollments')
@Controller('courses/:id/enrollments')
export class EnrollmentsController {
  constructor(@Inject(EnrollmentsService) private readonly enrollments: EnrollmentsService) {}

  @Post()
  @EnrolmentAccess()
  @ApiOperation({
    summary: 'Enrol by self-registration (e-service) or by a referral id (course staff)',
    description:
      'A place while one is free, else the waitlist with a position. Publishes samverkan.course.participant-enrolled.v1 or participant-waitlisted.v1. A participant without a personnummer (alias and, if they wish, a contact) only on a course given as a service without a needs assessment.',
  })
  @ApiCreatedResponse({ type: EnrollmentView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  @ApiNotFoundResponse({ description: 'No such course, or no such referral delivered to leisure' })
  @ApiConflictResponse({
    description:
      'CONFLICT: already enrolled or waitlisted; INVALID_STATE: closed, or too late by the programme rule',
  })
  enroll(
    @UuidParam() id: string,
    @Body() body: EnrollRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<EnrollmentView> {
    return this.enrollments.enroll(id, body, user);
  }

  @Get()
  @CourseAdminAccess()
  @ApiOperation({ summary: "The course's enrolments and waitlist (the organising unit only)" })
  @ApiOkResponse({ type: [EnrollmentView] })
  list(@UuidParam() id: string, @CurrentUser() user: AuthUser | undefined): Promise<EnrollmentView[]> {
    return this.enrollments.list(id, user);
  }

  @Delete(':enrollmentId')
  @EnrolmentAccess()
  @ApiOperation({
    summary: 'Withdraw (participant request)',
    description:
      'Publishes samverkan.course.participant-withdrawn.v1; a freed place goes to the first on the waitlist (participant-enrolled.v1, fromWaitlist), or is announced with places-available.v1 close to the start.',
  })
  @ApiOkResponse({ type: EnrollmentView })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'INVALID_STATE: already withdrawn, or the course is closed' })
  remove(
    @UuidParam() id: string,
    @UuidParam('enrollmentId') enrollmentId: string,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<EnrollmentView> {
    return this.enrollments.withdraw(id, enrollmentId, 'participant-request', user);
  }

  @Post(':enrollmentId/withdraw')
  @HttpCode(200)
  @EnrolmentAccess()
  @ApiOperation({ summary: 'Withdraw with a reason', description: 'As DELETE, with a reason.' })
  @ApiOkResponse({ type: EnrollmentView })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'INVALID_STATE: already withdrawn, or the course is closed' })
  withdraw(
    @UuidParam() id: string,
    @UuidParam('enrollmentId') enrollmentId: string,
    @Body() body: WithdrawRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<EnrollmentView> {
    return this.enrollments.withdraw(id, enrollmentId, body.reason ?? 'participant-request', user);
  }
}
