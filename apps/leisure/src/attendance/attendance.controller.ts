import { Body, Controller, HttpCode, Inject, Param, ParseIntPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@samverkan/auth';
import { AppError, UuidParam } from '@samverkan/platform';
import { CourseAdminAccess } from '../common/access';
import { AttendanceResultView, RecordAttendanceRequest } from './attendance.dto';
import { AttendanceService } from './attendance.service';

const SessionNumber = () =>
  Param(
    'n',
    new ParseIntPipe({
      exceptionFactory: () => AppError.validation([{ field: 'n', message: 'n must be a session number' }]),
    }),
  );

@ApiTags('attendance')
@CourseAdminAccess()
@Controller('courses/:id/sessions/:n/attendance')
export class AttendanceController {
  constructor(@Inject(AttendanceService) private readonly attendance: AttendanceService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record attendance of one session (present or absent, every participant holding a place)',
    description:
      'Publishes samverkan.course.attendance-recorded.v1 per participant. The last session closes the course: participant-completed.v1 for those who meet the catalog completion rule, and course.completed.v1 with counts.',
  })
  @ApiOkResponse({ type: AttendanceResultView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  @ApiNotFoundResponse({ description: 'No such course or session' })
  @ApiConflictResponse({
    description: 'CONFLICT: already recorded; INVALID_STATE: not yet held, or the course is completed',
  })
  record(
    @UuidParam() id: string,
    @SessionNumber() n: number,
    @Body() body: RecordAttendanceRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<AttendanceResultView> {
    return this.attendance.record(id, n, body, user);
  }
}
