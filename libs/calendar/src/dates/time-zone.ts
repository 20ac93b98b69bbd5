import { CalendarError, CalendarErrorCode, IsoDate, isoDate, partsOf } from './local-date';

/** The hub's municipalities are all in Sweden; every local date and office hour is read here. */
export const STOCKHOLM = 'Europe/Stockholm';

export interface LocalDateTime {
  date: IsoDate;
  /** Minutes since local midnight, 0..1439. */
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What the zone's formatter shows: the reference, and what the per-hour offsets below come from. */
function formattedWallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

const HOUR_MS = 3_600_000;
const HOUR_OFFSETS_MAX = 10_000;
/**
 * Per zone and UTC hour: the zone's offset throughout that hour, or null when it changes within
 * it. `formatToParts` costs a few microseconds a call, and intake computes deadlines (several
 * wall-clock readings) for every report; offsets change only at a zone's transitions, so an hour
 * whose first and last second read the same offset has it throughout.
 */
const hourOffsets = new Map<string, number | null>();

function wallClockOf(instant: Date, timeZone: string): WallClock {
  const epochMs = instant.getTime();
  if (Number.isNaN(epochMs)) throw new CalendarError(CalendarErrorCode.INVALID_DATE, 'Invalid instant');
  const hour = Math.floor(epochMs / HOUR_MS);
  const key = `${timeZone} ${hour}`;
  let offset = hourOffsets.get(key);
  if (offset === undefined) {
    const first = offsetMs(hour * HOUR_MS, timeZone, formattedWallClock);
    const last = offsetMs(hour * HOUR_MS + HOUR_MS - 1000, timeZone, formattedWallClock);
    offset = first === last ? first : null;
    if (hourOffsets.size >= HOUR_OFFSETS_MAX) hourOffsets.clear();
    hourOffsets.set(key, offset);
  }
  if (offset === null) return formattedWallClock(instant, timeZone);
  // Whole seconds, as the formatter shows them (it drops the milliseconds, also before 1970).
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** The local calendar date and time of an instant in `timeZone`. */
export function localDateTimeOf(instant: Date, timeZone: string = STOCKHOLM): LocalDateTime {
  const w = wallClockOf(instant, timeZone);
  return { date: isoDate(w.year, w.month, w.day), minuteOfDay: w.hour * 60 + w.minute };
}

export function localDateOf(instant: Date, timeZone: string = STOCKHOLM): IsoDate {
  return localDateTimeOf(instant, timeZone).date;
}

/**
 * Offset of `timeZone` from UTC at an instant, in ms (Stockholm: +1 h in winter, +2 h in summer), as
 * `read` shows the wall clock (the per-hour offsets are made with the formatter itself).
 */
function offsetMs(epochMs: number, timeZone: string, read = wallClockOf): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const w = read(new Date(whole), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` and `time` ("HH:MM", "HH:MM:SS" or
 * "HH:MM:SS.mmm"). In the spring-forward gap (02:00–03:00 on the last Sunday of March in Sweden) the
 * time does not exist and the instant one hour later on the clock is returned; in the autumn overlap
 * the earlier of the two instants is returned.
 */
export function instantOf(date: IsoDate, time: string, timeZone: string = STOCKHOLM): Date {
  const { year, month, day } = partsOf(date);
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?$/.exec(time);
  if (!m) throw new CalendarError(CalendarErrorCode.INVALID_TIME, 'Expected a time HH:MM[:SS[.mmm]]');
  const [hour, minute, second, ms] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) {
    throw new CalendarError(CalendarErrorCode.INVALID_TIME, 'Expected a time HH:MM[:SS[.mmm]]');
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Two candidates: the wall time read with the offset in force just before and just after.
  // Sweden's offset changes by at most an hour, so probing ±1 day brackets any switch that day.
  const before = wall - offsetMs(wall - 86_400_000, timeZone);
  const after = wall - offsetMs(wall + 86_400_000, timeZone);
  const candidates = [before, after].sort((a, b) => a - b);
  for (const candidate of candidates) {
    const w = wallClockOf(new Date(candidate), timeZone);
    if (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) === wall - ms)
      return new Date(candidate);
  }
  // In a gap no candidate reads back; the later one is the wall time pushed forward by the switch.
  return new Date(candidates[1]);
}

/** The last millisecond of a local date (23:59:59.999 on the wall clock). */
export function endOfLocalDay(date: IsoDate, timeZone: string = STOCKHOLM): Date {
  return instantOf(date, '23:59:59.999', timeZone);
}

/** The first millisecond of a local date (midnight never falls in a Swedish DST gap). */
export function startOfLocalDay(date: IsoDate, timeZone: string = STOCKHOLM): Date {
  return instantOf(date, '00:00', timeZone);
}
