import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { localDateOf } from '@samverkan/calendar';
import { OutboxService } from '@samverkan/messaging';
import { AppError, AppErrorCode, type FieldError, Clock } from '@samverkan/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { assertOrganiser } from '../common/access';
import { EventFactory } from '../common/event-factory';
import { Course } from '../courses/course.entity';
import { lockCourse, organiserOf, programmeOf } from '../courses/courses.service';
import { Enrollment } from '../enrollments/enrollment.entity';
import { childOf, participantOf } from '../enrollments/enrollments.service';
import type { AttendanceResultView, RecordAttendanceRequest } from './attendance.dto';
import { Attendance, SessionRecord } from './attendance.entity';
import { completionOutcomes, courseSummary } from './completion';

@Injectable()
export class AttendanceService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(EventFactory) private readonly events: EventFactory,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Records one session (once). Every participant holding a place is named exactly once. When it
   * is the course's last unrecorded session, completion is computed by the catalog rule and the
   * course closes with a summary.
   */
  async record(
    courseId: string,
    sessionNumber: number,
    request: RecordAttendanceRequest,
    user: AuthUser | undefined,
  ): Promise<AttendanceResultView> {
    return this.dataSource.transaction(async (manager) => {
      const course = await lockCourse(manager, courseId);
      assertOrganiser(user, { agency: course.organisingAgency, unitCode: course.organisingUnit });
      const session = course.sessions.find((s) => s.number === sessionNumber);
      if (!session) throw AppError.notFound('Session');
      if (course.status !== 'scheduled')
        throw new AppError(AppErrorCode.INVALID_STATE, 'The course is completed');
      const now = this.clock.now();
      if (session.date > localDateOf(now)) {
        throw new AppError(AppErrorCode.INVALID_STATE, 'The session has not taken place yet');
      }
      const already = await manager.getRepository(SessionRecord).existsBy({ courseId, sessionNumber });
      if (already)
        throw new AppError(AppErrorCode.CONFLICT, 'Attendance of this session is already recorded');

      const holders = await manager
        .getRepository(Enrollment)
        .find({ where: { courseId, status: 'enrolled' } });
      const byId = new Map(holders.map((h) => [h.id, h]));
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      request.participants.forEach((p, i) => {
        if (!byId.has(p.enrollmentId)) {
          errors.push({
            field: `participants.${i}.enrollmentId`,
            message: 'enrollmentId must name a participant holding a place on the course',
          });
        } else if (seen.has(p.enrollmentId)) {
          errors.push({
            field: `participants.${i}.enrollmentId`,
            message: 'enrollmentId must be named once',
          });
        }
        seen.add(p.enrollmentId);
      });
      const missing = holders.filter((h) => !seen.has(h.id)).length;
      if (missing > 0) {
        errors.push({
          field: 'participants',
          message: `participants must name every participant holding a place (${missing} missing)`,
        });
      }
      if (errors.length > 0) throw AppError.validation(errors);

      await manager.insert(SessionRecord, {
        courseId,
        sessionNumber,
        recordedAt: now,
        recordedBy: user?.subject ?? 'unknown',
      });
      await manager.insert(
        Attendance,
        request.participants.map((p) => ({
          enrollmentId: p.enrollmentId,
          sessionNumber,
          courseId,
          attended: p.present,
        })),
      );
      for (const p of request.participants) {
        const holder = byId.get(p.enrollmentId)!;
        const child = childOf(holder);
        await this.outbox.add(
          manager,
          this.events.create('samverkan.course.attendance-recorded.v1', holder.subject, {
            courseId,
            enrollmentId: holder.id,
            catalogCode: course.catalogCode,
            participant: participantOf(holder),
            ...(child ? { child } : {}),
            sessionNumber,
            attended: p.present,
            recordedAt: now.toISOString(),
          }),
        );
      }
      course.sessionsRecorded++;
      await manager.update(Course, { id: courseId }, { sessionsRecorded: course.sessionsRecorded });
      const last = course.sessionsRecorded === course.sessions.length;
      if (last) await this.complete(manager, course, holders, now);
      const present = request.participants.filter((p) => p.present).length;
      return { sessionNumber, present, absent: request.participants.length - present, courseCompleted: last };
    });
  }

  private async complete(
    manager: EntityManager,
    course: Course,
    holders: Enrollment[],
    now: Date,
  ): Promise<void> {
    const entry = programmeOf(course);
    const planned = course.sessions.length;
    const counts: Array<{ enrollment_id: string; attended: string }> = await manager.query(
      `SELECT enrollment_id, count(*) FILTER (WHERE attended) AS attended FROM attendance WHERE course_id = $1 GROUP BY enrollment_id`,
      [course.id],
    );
    const attendedBy = new Map(counts.map((c) => [c.enrollment_id, Number(c.attended)]));
    const outcomes = completionOutcomes(
      entry.completionRule,
      planned,
      holders.map((h) => ({ enrollmentId: h.id, attended: attendedBy.get(h.id) ?? 0 })),
    );
    for (const outcome of outcomes) {
      const holder = holders.find((h) => h.id === outcome.enrollmentId)!;
      holder.status = outcome.completed ? 'completed' : 'not-completed';
      holder.sessionsAttended = outcome.attended;
      await manager.update(
        Enrollment,
        { id: holder.id },
        { status: holder.status, sessionsAttended: outcome.attended },
      );
      if (!outcome.completed) continue;
      const child = childOf(holder);
      await this.outbox.add(
        manager,
        this.events.create('samverkan.course.participant-completed.v1', holder.subject, {
          courseId: course.id,
          enrollmentId: holder.id,
          catalogCode: course.catalogCode,
          participant: participantOf(holder),
          ...(child ? { child } : {}),
          sessionsAttended: outcome.attended,
          sessionsPlanned: planned,
          completedAt: now.toISOString(),
        }),
      );
    }
    const everyone: Array<{ status: string; held_place: boolean }> = await manager.query(
      `SELECT status, held_place FROM enrollments WHERE course_id = $1`,
      [course.id],
    );
    const summary = courseSummary(
      course.capacity,
      planned,
      course.sessionsRecorded,
      everyone.map((e) => ({ status: e.status, heldPlace: e.held_place })),
    );
    await manager.update(Course, { id: course.id }, { status: 'completed', summary, completedAt: now });
    await this.outbox.add(
      manager,
      this.events.create('samverkan.course.completed.v1', course.id, {
        courseId: course.id,
        catalogCode: course.catalogCode,
        organisingUnit: organiserOf(course),
        summary,
        completedAt: now.toISOString(),
      }),
    );
  }
}
