import { Clock } from '@samverkan/platform';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { addCalendarDays, localDateOf } from '@samverkan/calendar';
import { OutboxService } from '@samverkan/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { EventFactory } from '../common/event-factory';
import { LEISURE_ENV } from '../common/leisure.tokens';
import type { LeisureEnv } from '../config/leisure.env';
import { isCloseToStart, takesParticipants } from '../courses/course-rules';
import { Course } from '../courses/course.entity';
import { lockCourse, organiserOf, programmeOf } from '../courses/courses.service';

/**
 * course.places-available.v1: places that are free close to the start (at most
 * PLACES_AVAILABLE_WINDOW_DAYS before the first session) on a course that still takes
 * participants. Announced when a withdrawal frees a place nobody on the waitlist takes, and by a
 * periodic check as courses come within the window. A course is announced again only when more
 * places are free than were last announced.
 */
@Injectable()
export class PlacesAvailableService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlacesAvailableService.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(EventFactory) private readonly events: EventFactory,
    @Inject(LEISURE_ENV) private readonly env: LeisureEnv,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.env.PLACES_AVAILABLE_SWEEP_MINUTES;
    if (minutes <= 0) return;
    this.timer = setInterval(() => void this.runSweep(), minutes * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  private async runSweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = this.sweep(this.clock.now());
    try {
      await this.sweeping;
    } catch (error) {
      this.logger.warn(`places sweep failed: ${error instanceof Error ? error.name : 'unknown'}`);
    } finally {
      this.sweeping = undefined;
    }
  }

  /** Announces every course within the window with more free places than last announced. */
  async sweep(now: Date): Promise<number> {
    const today = localDateOf(now);
    const candidates: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM courses
        WHERE status = 'scheduled' AND starts_on BETWEEN $1 AND $2
          AND capacity - enrolled_count > places_announced`,
      [today, addCalendarDays(today, this.env.PLACES_AVAILABLE_WINDOW_DAYS)],
    );
    let announced = 0;
    for (const { id } of candidates) {
      const done = await this.dataSource.transaction(async (manager) =>
        this.announceIfDue(manager, await lockCourse(manager, id), now),
      );
      if (done) announced++;
    }
    return announced;
  }

  /** Within the caller's transaction, on a locked course: publish if places opened up close to the start. */
  async announceIfDue(manager: EntityManager, course: Course, now: Date): Promise<boolean> {
    const free = course.capacity - course.enrolledCount;
    if (course.status !== 'scheduled' || free <= course.placesAnnounced) return false;
    if (!isCloseToStart(course.startsOn, now, this.env.PLACES_AVAILABLE_WINDOW_DAYS)) return false;
    if (!takesParticipants(programmeOf(course), course.sessions, now, course.sessionsRecorded).open)
      return false;
    course.placesAnnounced = free;
    await manager.update(Course, { id: course.id }, { placesAnnounced: free });
    await this.outbox.add(
      manager,
      this.events.create('samverkan.course.places-available.v1', course.id, {
        courseId: course.id,
        catalogCode: course.catalogCode,
        organisingUnit: organiserOf(course),
        placesAvailable: free,
        capacity: course.capacity,
        startsOn: course.startsOn,
        language: course.language,
        publishedAt: now.toISOString(),
      }),
    );
    return true;
  }
}
