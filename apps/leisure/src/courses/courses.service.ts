import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { localDateOf } from '@samverkan/calendar';
import { catalogEntry, type InterventionCatalogEntry } from '@samverkan/contracts';
import { OutboxService } from '@samverkan/messaging';
import { AppError, AppErrorCode, Clock } from '@samverkan/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { callerUnit } from '../common/access';
import { EventFactory } from '../common/event-factory';
import { courseBasis, courseRuleErrors, takesParticipants } from './course-rules';
import type { CourseQuery, CourseView, ScheduleCourseRequest } from './course.dto';
import { Course } from './course.entity';

/** The catalog entry of a stored course (its code was validated when it was scheduled). */
export function programmeOf(course: Course): InterventionCatalogEntry {
  const entry = catalogEntry(course.catalogCode);
  if (!entry) throw new AppError(AppErrorCode.INTERNAL, 'A stored course names an unknown programme');
  return entry;
}

/** The course row, locked for the rest of the transaction: enrolments, withdrawals and attendance serialise on it. */
export async function lockCourse(manager: EntityManager, id: string): Promise<Course> {
  const course = await manager
    .getRepository(Course)
    .createQueryBuilder('c')
    .setLock('pessimistic_write')
    .where('c.id = :id', { id })
    .getOne();
  if (!course) throw AppError.notFound('Course');
  return course;
}

export function organiserOf(course: Course, municipality?: string) {
  return {
    agency: course.organisingAgency as 'leisure' | 'education' | 'social-services',
    unitCode: course.organisingUnit,
    municipality: municipality ?? course.municipality,
    ...(course.district ? { district: course.district } : {}),
  };
}

@Injectable()
export class CoursesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(EventFactory) private readonly events: EventFactory,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async schedule(request: ScheduleCourseRequest, user: AuthUser | undefined): Promise<CourseView> {
    const unit = callerUnit(user);
    if (request.organisingUnit !== unit.unitCode) {
      throw new AppError(AppErrorCode.FORBIDDEN, "The organising unit must be the caller's own unit");
    }
    // The DTO accepted a catalog code; the rules check it is a course programme.
    const entry = catalogEntry(request.programmeCode)!;
    const now = this.clock.now();
    const errors = courseRuleErrors(request, entry, localDateOf(now));
    if (errors.length > 0) throw AppError.validation(errors);
    const sessions = request.sessions.map((s) => ({
      number: s.number,
      date: s.date,
      ...(s.startTime ? { startTime: s.startTime } : {}),
      minutes: s.minutes,
    }));
    const course: Course = Object.assign(new Course(), {
      id: randomUUID(),
      catalogCode: entry.code,
      catalogVersion: entry.version,
      basis: courseBasis(request.basis, entry),
      organisingAgency: unit.agency,
      organisingUnit: unit.unitCode,
      municipality: request.municipality,
      district: request.district ?? null,
      capacity: request.capacity,
      sessions,
      startsOn: sessions[0].date,
      endsOn: sessions[sessions.length - 1].date,
      language: request.language,
      location: request.location ?? null,
      targetAgeMin: request.targetAges.min,
      targetAgeMax: request.targetAges.max,
      status: 'scheduled',
      enrolledCount: 0,
      waitlistCount: 0,
      sessionsRecorded: 0,
      placesAnnounced: 0,
      summary: null,
      scheduledBy: user?.subject ?? 'unknown',
      completedAt: null,
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(Course, course);
      await this.outbox.add(
        manager,
        this.events.create('samverkan.course.scheduled.v1', course.id, {
          courseId: course.id,
          catalogCode: course.catalogCode,
          organisingUnit: organiserOf(course),
          capacity: course.capacity,
          sessions,
          language: course.language,
          ...(course.location ? { location: course.location } : {}),
          targetAges: { min: course.targetAgeMin, max: course.targetAgeMax },
          scheduledAt: now.toISOString(),
        }),
      );
    });
    return this.toView(course, [], now);
  }

  /**
   * The place exchange: scheduled courses of every unit and district. `hasPlaces` keeps those that
   * take participants now (late-enrolment rule) and have a free place.
   */
  async list(query: CourseQuery): Promise<CourseView[]> {
    const now = this.clock.now();
    const qb = this.dataSource
      .getRepository(Course)
      .createQueryBuilder('c')
      .where('c.status = :status', { status: 'scheduled' })
      .andWhere('c.ends_on >= :today', { today: localDateOf(now) })
      .orderBy('c.starts_on', 'ASC')
      .addOrderBy('c.id', 'ASC');
    if (query.program) qb.andWhere('c.catalog_code = :program', { program: query.program });
    if (query.district) qb.andWhere('c.district = :district', { district: query.district });
    if (query.municipality)
      qb.andWhere('c.municipality = :municipality', { municipality: query.municipality });
    if (query.hasPlaces === true) qb.andWhere('c.enrolled_count < c.capacity');
    const rows = await qb.limit(query.hasPlaces ? query.limit * 4 : query.limit).getMany();
    const recorded = await this.recordedSessions(rows.map((c) => c.id));
    const views = rows.map((c) => this.toView(c, recorded.get(c.id) ?? [], now));
    return (query.hasPlaces ? views.filter((v) => v.open && v.placesAvailable > 0) : views).slice(
      0,
      query.limit,
    );
  }

  async get(id: string): Promise<CourseView> {
    const course = await this.dataSource.getRepository(Course).findOneBy({ id });
    if (!course) throw AppError.notFound('Course');
    const recorded = await this.recordedSessions([id]);
    return this.toView(course, recorded.get(id) ?? [], this.clock.now());
  }

  private async recordedSessions(ids: string[]): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    if (ids.length === 0) return out;
    const rows: Array<{ course_id: string; session_number: number }> = await this.dataSource.query(
      `SELECT course_id, session_number FROM session_records WHERE course_id = ANY($1)`,
      [ids],
    );
    for (const r of rows) out.set(r.course_id, [...(out.get(r.course_id) ?? []), Number(r.session_number)]);
    return out;
  }

  toView(course: Course, recorded: readonly number[], now: Date): CourseView {
    const entry = programmeOf(course);
    const { open } = takesParticipants(entry, course.sessions, now, course.sessionsRecorded);
    return {
      id: course.id,
      programmeCode: course.catalogCode,
      programmeName: entry.name,
      basis: course.basis,
      organisingAgency: course.organisingAgency,
      organisingUnit: course.organisingUnit,
      municipality: course.municipality,
      district: course.district,
      capacity: course.capacity,
      enrolled: course.enrolledCount,
      waitlisted: course.waitlistCount,
      placesAvailable: Math.max(0, course.capacity - course.enrolledCount),
      open: course.status === 'scheduled' && open,
      sessions: course.sessions.map((s) => ({ ...s, recorded: recorded.includes(s.number) })),
      startsOn: course.startsOn,
      language: course.language,
      location: course.location,
      targetAges: { min: course.targetAgeMin, max: course.targetAgeMax },
      status: course.status,
      summary: course.summary ? { ...course.summary } : null,
    };
  }
}
