/**
 * The time the app acts at. Production uses the system clock; tests pass a clock they move forward
 * (a course's sessions lie in the future when it is scheduled and in the past when attendance is
 * recorded).
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
