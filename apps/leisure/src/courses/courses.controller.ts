import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@samverkan/auth';
import { UuidParam } from '@samverkan/platform';
import { AnyCallerAccess, CourseAdminAccess } from '../common/access';
import { CourseQuery, CourseView, ScheduleCourseRequest } from './course.dto';
import { CoursesService } from './courses.service';

@ApiTags('courses')
@Controller('courses')
export class CoursesController {
  constructor(@Inject(CoursesService) private readonly courses: CoursesService) {}

  @Post()
  @CourseAdminAccess()
  @ApiOperation({
    summary: 'Schedule a course of a catalog programme',
    description:
      "Validated against the catalog (course programme, basis, ages, session plan, group size); the organising unit is the caller's own. Publishes samverkan.course.scheduled.v1.",
  })
  @ApiCreatedResponse({ type: CourseView })
  @ApiBadRequestResponse({ description: 'One message per invalid field' })
  schedule(
    @Body() body: ScheduleCourseRequest,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<CourseView> {
    return this.courses.schedule(body, user);
  }

  @Get()
  @AnyCallerAccess()
  @ApiOperation({
    summary: 'The place exchange: courses across units and districts',
    description: 'Any authenticated caller. Counts only, no participant data.',
  })
  @ApiOkResponse({ type: [CourseView] })
  list(@Query() query: CourseQuery): Promise<CourseView[]> {
    return this.courses.list(query);
  }

  @Get(':id')
  @AnyCallerAccess()
  @ApiOperation({ summary: 'One course, with its sessions and counts' })
  @ApiOkResponse({ type: CourseView })
  @ApiNotFoundResponse()
  get(@UuidParam() id: string): Promise<CourseView> {
    return this.courses.get(id);
  }
}
