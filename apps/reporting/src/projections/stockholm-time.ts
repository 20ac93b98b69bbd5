import { concernReportDeadlines, localDateOf, WorkingDayCalendar, type IsoDate } from '@samverkan/calendar';

/**
 * Europe/Stockholm local dates and concern-report deadlines for the projections, memoized per UTC
 * hour. @samverkan/calendar reads the wall clock through Intl (formatToParts), which costs
 * microseconds per call and several calls per deadline; a rebuild asks for a million of them, almost
 * all for hours it has seen before.
 *
 * Why an hour: Sweden's offset is a whole number of hours and changes only on a whole UTC hour (01:00
 * UTC), so within one UTC hour the local date, and which side of the office's closing time (a whole
 * local hour) an instant is on, do not change. That is not taken on trust: an hour is cached only when
 * the library gives the same answer for its first and its last millisecond. Both answers are
 * non-decreasing in the instant (a later instant never has an earlier local date or deadline; the
 * autumn switch, 03:00 → 02:00, never crosses midnight), so equal ends mean every instant between
 * them has that answer too. An hour whose ends differ is not cached and each instant in it is
 * computed by the library, as is anything that is not a valid instant (it throws as before).
 */

const HOUR_MS = 3_600_000;
/** Bound on cached hours per memo (about 23 years of hours); past it the memo starts over. */
const MAX_HOURS = 200_000;
const NOT_CACHEABLE = Symbol('not-cacheable');

// One calendar for the process: holidays are cached per year inside it.
const calendar = new WorkingDayCalendar();

class HourMemo<T> {
  private readonly hours = new Map<number, T | typeof NOT_CACHEABLE>();

  constructor(
    private readonly compute: (epochMs: number) => T,
    private readonly same: (a: T, b: T) => boolean,
  ) {}

  at(epochMs: number): T {
    if (!Number.isFinite(epochMs)) return this.compute(epochMs);
    const hour = Math.floor(epochMs / HOUR_MS);
    let cached = this.hours.get(hour);
    if (cached === undefined) {
      const first = this.compute(hour * HOUR_MS);
      const last = this.compute(hour * HOUR_MS + HOUR_MS - 1);
      cached = this.same(first, last) ? first : NOT_CACHEABLE;
      if (this.hours.size >= MAX_HOURS) this.hours.clear();
      this.hours.set(hour, cached);
    }
    return cached === NOT_CACHEABLE ? this.compute(epochMs) : cached;
  }

  /** For tests: how many hours are cached and how many could not be. */
  stats(): { cached: number; notCacheable: number } {
    let notCacheable = 0;
    for (const value of this.hours.values()) if (value === NOT_CACHEABLE) notCacheable++;
    return { cached: this.hours.size - notCacheable, notCacheable };
  }

  clear(): void {
    this.hours.clear();
  }
}

export interface ConcernReportDueTimes {
  /** Epoch ms of the protection assessment deadline ("genast"). */
  protectionAssessmentDue: number;
  /** Epoch ms of the 14-day decision deadline. */
  decisionDue: number;
}

const localDates = new HourMemo<IsoDate>(
  (ms) => localDateOf(new Date(ms)),
  (a, b) => a === b,
);

const dueTimes = new HourMemo<ConcernReportDueTimes>(
  (ms) => {
    const d = concernReportDeadlines(new Date(ms), { calendar });
    return {
      protectionAssessmentDue: d.protectionAssessmentDue.getTime(),
      decisionDue: d.decisionDue.getTime(),
    };
  },
  (a, b) => a.protectionAssessmentDue === b.protectionAssessmentDue && a.decisionDue === b.decisionDue,
);

/** The Stockholm local date of an instant (epoch ms); as localDateOf from @samverkan/calendar. */
export function stockholmDateAt(epochMs: number): IsoDate {
  return localDates.at(epochMs);
}

/**
 * The concern-report deadlines for a report received at an instant (epoch ms), with the default
 * office hours and calendar; as concernReportDeadlines from @samverkan/calendar.
 */
export function concernReportDueTimesAt(receivedAtMs: number): ConcernReportDueTimes {
  return dueTimes.at(receivedAtMs);
}

/** For tests. */
export const stockholmTimeMemo = {
  stats: () => ({ localDates: localDates.stats(), dueTimes: dueTimes.stats() }),
  clear: () => {
    localDates.clear();
    dueTimes.clear();
  },
};
