import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import type {
  ChildIdentity,
  CourseParticipant,
  EnrolmentChannel,
  WithdrawalReason,
} from '@samverkan/contracts';
import { OutboxService } from '@samverkan/messaging';
import { AppError, AppErrorCode, Clock } from '@samverkan/platform';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { assertOrganiser, isCourseAdmin } from '../common/access';
import { EventFactory } from '../common/event-factory';
import { takesParticipants } from '../courses/course-rules';
import { Course } from '../courses/course.entity';
import { lockCourse, programmeOf } from '../courses/courses.service';
import { PlacesAvailableService } from '../places/places-available.service';
import { Referral } from '../referrals/referral.entity';
import { subjectForPerson } from '../subjects/participant-subjects';
import {
  participantKey,
  participantRuleErrors,
  placeFor,
  promotions,
  waitlistPosition,
  type ParticipantInput,
} from './enrollment-rules';
import type { EnrollRequest, EnrollmentView } from './enrollment.dto';
import { ACTIVE_STATUSES, Enrollment } from './enrollment.entity';

const UNIQUE_VIOLATION = '23505';

/** The participant as course events carry it: personnummer or alias, and the role. No contact. */
export function participantOf(e: Enrollment): CourseParticipant {
  return {
    role: e.participantRole,
    ...(e.participantPersonnummer ? { personnummer: e.participantPersonnummer } : {}),
    ...(e.participantAlias ? { alias: e.participantAlias } : {}),
  };
}

export function childOf(e: Enrollment): ChildIdentity | undefined {
  if (!e.childPersonnummer) return undefined;
  return {
    personnummer: e.childPersonnummer,
    ...(e.childProtectedIdentity ? { protectedIdentity: true } : {}),
  };
}

@Injectable()
export class EnrollmentsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(EventFactory) private readonly events: EventFactory,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(PlacesAvailableService) private readonly places: PlacesAvailableService,
  ) {}

  async enroll(
    courseId: string,
    request: EnrollRequest,
    user: AuthUser | undefined,
  ): Promise<EnrollmentView> {
    const channel: EnrolmentChannel = request.referralId ? 'referral' : 'self-registration';
    if (channel === 'referral' && !isCourseAdmin(user)) {
      throw new AppError(AppErrorCode.FORBIDDEN, 'Enrolment by referral is for course staff');
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const course = await lockCourse(manager, courseId);
        if (course.status !== 'scheduled')
          throw new AppError(AppErrorCode.INVALID_STATE, 'The course is closed');
        const entry = programmeOf(course);
        const referral = request.referralId
          ? await this.referralFor(manager, request.referralId, course)
          : null;
        const { participant, child } = this.participantAndChild(request, referral, entry.participants);
        const errors = participantRuleErrors(participant, entry, course.basis);
        if (errors.length > 0) throw AppError.validation(errors);

        const now = this.clock.now();
        const { open, late } = takesParticipants(entry, course.sessions, now, course.sessionsRecorded);
        if (!open) {
          throw new AppError(
            AppErrorCode.INVALID_STATE,
            "The programme's late-enrolment rule admits no one any more",
          );
        }
        const key = participantKey(participant);
        const duplicate = await manager
          .getRepository(Enrollment)
          .createQueryBuilder('e')
          .where('e.course_id = :courseId', { courseId })
          .andWhere('e.status IN (:...active)', { active: ACTIVE_STATUSES })
          .andWhere(
            referral
              ? '(e.participant_key = :key OR e.referral_id = :referralId)'
              : 'e.participant_key = :key',
            {
              key,
              referralId: referral?.referralId,
            },
          )
          .getExists();
        if (duplicate)
          throw new AppError(AppErrorCode.CONFLICT, 'Already enrolled on or waitlisted for this course');

        const id = randomUUID();
        const place = placeFor(course.capacity, course.enrolledCount);
        const row: Enrollment = Object.assign(new Enrollment(), {
          id,
          courseId,
          status: place,
          channel,
          referralId: referral?.referralId ?? null,
          participantRole: participant.role,
          participantPersonnummer: participant.personnummer ?? null,
          participantAlias: participant.alias ?? null,
          participantContact: participant.contact ?? null,
          participantKey: key,
          childPersonnummer: child?.personnummer ?? null,
          childProtectedIdentity: child?.protectedIdentity ?? false,
          subject: participant.personnummer ? await subjectForPerson(manager, participant.personnummer) : id,
          heldPlace: place === 'enrolled',
          fromWaitlist: false,
          late: place === 'enrolled' && late,
          waitlistSeq: place === 'waitlisted' ? await this.nextWaitlistSeq(manager, courseId) : null,
          registeredBy: user?.subject ?? 'unknown',
          enrolledAt: place === 'enrolled' ? now : null,
          waitlistedAt: place === 'waitlisted' ? now : null,
          withdrawnAt: null,
          withdrawalReason: null,
          sessionsAttended: null,
        });
        await manager.insert(Enrollment, row);
        if (place === 'enrolled') {
          course.enrolledCount++;
          course.placesAnnounced = Math.min(course.placesAnnounced, course.capacity - course.enrolledCount);
          await this.publishEnrolled(manager, course, row, now);
        } else {
          course.waitlistCount++;
          await this.outbox.add(
            manager,
            this.events.create('samverkan.course.participant-waitlisted.v1', row.subject, {
              courseId,
              enrollmentId: id,
              catalogCode: course.catalogCode,
              participant: participantOf(row),
              ...(childOf(row) ? { child: childOf(row) } : {}),
              channel,
              ...(row.referralId ? { referralId: row.referralId } : {}),
              position: course.waitlistCount,
              waitlistedAt: now.toISOString(),
            }),
          );
        }
        await this.saveCounters(manager, course);
        return this.toView(row, place === 'waitlisted' ? course.waitlistCount : null);
      });
    } catch (error) {
      // The partial unique indexes back the check above (e.g. a referral enrolled on another course).
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string })?.code === UNIQUE_VIOLATION
      ) {
        throw new AppError(AppErrorCode.CONFLICT, 'Already enrolled on or waitlisted for this course');
      }
      throw error;
    }
  }

  /**
   * Leaves the course or its waitlist. A place that frees is taken by the first on the waitlist
   * (while the programme still admits participants); a place nobody takes is announced when the
   * course is close to its start.
   */
  async withdraw(
    courseId: string,
    enrollmentId: string,
    reason: WithdrawalReason,
    user: AuthUser | undefined,
  ): Promise<EnrollmentView> {
    return this.dataSource.transaction(async (manager) => {
      const course = await lockCourse(manager, courseId);
      const row = await manager.getRepository(Enrollment).findOneBy({ id: enrollmentId, courseId });
      if (!row) throw AppError.notFound('Enrollment');
      if (isCourseAdmin(user))
        assertOrganiser(user, { agency: course.organisingAgency, unitCode: course.organisingUnit });
      else if (row.channel !== 'self-registration') {
        throw new AppError(AppErrorCode.FORBIDDEN, 'The e-service withdraws only self-registrations');
      }
      if (course.status !== 'scheduled' || !ACTIVE_STATUSES.includes(row.status)) {
        throw new AppError(
          AppErrorCode.INVALID_STATE,
          'Only an enrolment or a waitlist place of an open course can be withdrawn',
        );
      }
      const now = this.clock.now();
      const wasWaitlisted = row.status === 'waitlisted';
      row.status = 'withdrawn';
      row.withdrawnAt = now;
      row.withdrawalReason = reason;
      await manager.update(
        Enrollment,
        { id: row.id },
        { status: 'withdrawn', withdrawnAt: now, withdrawalReason: reason },
      );
      if (wasWaitlisted) course.waitlistCount--;
      else course.enrolledCount--;
      await this.outbox.add(
        manager,
        this.events.create('samverkan.course.participant-withdrawn.v1', row.subject, {
          courseId,
          enrollmentId: row.id,
          catalogCode: course.catalogCode,
          participant: participantOf(row),
          ...(childOf(row) ? { child: childOf(row) } : {}),
          fromWaitlist: wasWaitlisted,
          reason,
          withdrawnAt: now.toISOString(),
        }),
      );
      if (!wasWaitlisted) await this.promote(manager, course, now);
      await this.places.announceIfDue(manager, course, now);
      await this.saveCounters(manager, course);
      return this.toView(row, null);
    });
  }

  async list(courseId: string, user: AuthUser | undefined): Promise<EnrollmentView[]> {
    const course = await this.dataSource.getRepository(Course).findOneBy({ id: courseId });
    if (!course) throw AppError.notFound('Course');
    assertOrganiser(user, { agency: course.organisingAgency, unitCode: course.organisingUnit });
    const rows = await this.dataSource
      .getRepository(Enrollment)
      .find({ where: { courseId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const waitlist = rows.filter((r) => r.status === 'waitlisted') as Array<
      Enrollment & { waitlistSeq: number }
    >;
    return rows.map((r) =>
      this.toView(r, r.status === 'waitlisted' ? waitlistPosition(waitlist, r.id) : null),
    );
  }

  /** Fills free places from the waitlist, in order, while the programme admits participants. */
  private async promote(manager: EntityManager, course: Course, now: Date): Promise<void> {
    const { open, late } = takesParticipants(
      programmeOf(course),
      course.sessions,
      now,
      course.sessionsRecorded,
    );
    const waitlist = (await manager
      .getRepository(Enrollment)
      .find({ where: { courseId: course.id, status: 'waitlisted' } })) as Array<
      Enrollment & { waitlistSeq: number }
    >;
    for (const next of promotions(waitlist, course.capacity - course.enrolledCount, open)) {
      Object.assign(next, { status: 'enrolled', heldPlace: true, fromWaitlist: true, late, enrolledAt: now });
      await manager.update(
        Enrollment,
        { id: next.id },
        { status: 'enrolled', heldPlace: true, fromWaitlist: true, late, enrolledAt: now },
      );
      course.waitlistCount--;
      course.enrolledCount++;
      await this.publishEnrolled(manager, course, next, now);
    }
  }

  private async publishEnrolled(
    manager: EntityManager,
    course: Course,
    row: Enrollment,
    now: Date,
  ): Promise<void> {
    const child = childOf(row);
    await this.outbox.add(
      manager,
      this.events.create('samverkan.course.participant-enrolled.v1', row.subject, {
        courseId: course.id,
        enrollmentId: row.id,
        catalogCode: course.catalogCode,
        participant: participantOf(row),
        ...(child ? { child } : {}),
        channel: row.channel,
        ...(row.referralId ? { referralId: row.referralId } : {}),
        fromWaitlist: row.fromWaitlist,
        late: row.late,
        enrolledAt: now.toISOString(),
      }),
    );
  }

  private async saveCounters(manager: EntityManager, course: Course): Promise<void> {
    await manager.update(
      Course,
      { id: course.id },
      {
        enrolledCount: course.enrolledCount,
        waitlistCount: course.waitlistCount,
        placesAnnounced: course.placesAnnounced,
      },
    );
  }

  private async nextWaitlistSeq(manager: EntityManager, courseId: string): Promise<number> {
    // Under the course lock: no concurrent enrolment on this course can read the same maximum.
    const rows: Array<{ next: number }> = await manager.query(
      `SELECT COALESCE(MAX(waitlist_seq), 0) + 1 AS next FROM enrollments WHERE course_id = $1`,
      [courseId],
    );
    return Number(rows[0].next);
  }

  private async referralFor(manager: EntityManager, referralId: string, course: Course): Promise<Referral> {
    const referral = await manager.getRepository(Referral).findOneBy({ referralId });
    if (!referral) throw AppError.notFound('Referral');
    if (referral.catalogCode !== course.catalogCode) {
      throw AppError.validation([
        { field: 'referralId', message: 'referralId names a referral to another programme' },
      ]);
    }
    if (referral.courseId && referral.courseId !== course.id) {
      throw AppError.validation([
        { field: 'referralId', message: 'referralId names a referral to another course' },
      ]);
    }
    return referral;
  }

  private participantAndChild(
    request: EnrollRequest,
    referral: Referral | null,
    group: string,
  ): { participant: ParticipantInput; child?: { personnummer: string; protectedIdentity?: boolean } } {
    if (referral) {
      if (request.child) {
        throw AppError.validation([
          {
            field: 'child',
            message: 'child must not be given with a referral (the referral names the child)',
          },
        ]);
      }
      const child = {
        personnummer: referral.childPersonnummer,
        protectedIdentity: referral.childProtectedIdentity,
      };
      if (request.participant) return { participant: request.participant, child };
      if (group === 'children') {
        return {
          participant: {
            role: 'child',
            personnummer: referral.childPersonnummer,
            ...(referral.contact ? { contact: { ...referral.contact } } : {}),
          },
          child,
        };
      }
      throw AppError.validation([
        { field: 'participant', message: 'participant is required: the parent who takes part' },
      ]);
    }
    if (!request.participant) {
      throw AppError.validation([{ field: 'participant', message: 'participant is required' }]);
    }
    return { participant: request.participant, child: request.child };
  }

  toView(row: Enrollment, position: number | null): EnrollmentView {
    return {
      id: row.id,
      courseId: row.courseId,
      status: row.status,
      channel: row.channel,
      position,
      identified: row.participantPersonnummer !== null,
      alias: row.participantAlias,
      fromWaitlist: row.fromWaitlist,
      late: row.late,
      sessionsAttended: row.sessionsAttended,
      enrolledAt: row.enrolledAt?.toISOString() ?? null,
      waitlistedAt: row.waitlistedAt?.toISOString() ?? null,
      withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
    };
  }
}
