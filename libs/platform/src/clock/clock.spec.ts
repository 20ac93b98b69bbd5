import { Inject, Injectable, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  AdjustableClock,
  Clock,
  clockFor,
  ClockModule,
  describeOffset,
  OffsetClock,
  SystemClock,
} from '../index';

const DAY = 86_400_000;

describe('Clock', () => {
  it('the system clock is real time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('an offset clock is real time shifted by the offset', () => {
    const clock = new OffsetClock(-16 * DAY);
    const before = Date.now();
    const now = clock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before - 16 * DAY);
    expect(now).toBeLessThanOrEqual(Date.now() - 16 * DAY);
  });

  it('clockFor: no offset (unset or 0) is the system clock', () => {
    expect(clockFor(undefined)).toBeInstanceOf(SystemClock);
    expect(clockFor(0)).toBeInstanceOf(SystemClock);
    expect(clockFor(3_600_000)).toBeInstanceOf(OffsetClock);
    expect(clockFor(3_600_000).offsetMs).toBe(3_600_000);
  });

  it('an adjustable clock follows real time from wherever it was moved', () => {
    const clock = new AdjustableClock();
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1_000);
    clock.advance(15 * DAY);
    expect(clock.offsetMs).toBe(15 * DAY);
    const before = Date.now();
    const now = clock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before + 15 * DAY);
    expect(now).toBeLessThanOrEqual(Date.now() + 15 * DAY);
    clock.reset();
    expect(clock.offsetMs).toBe(0);
  });

  it('describes an offset for the boot warning', () => {
    expect(describeOffset(-16 * DAY)).toBe('16d behind real time');
    expect(describeOffset(DAY + 2 * 3_600_000 + 5 * 60_000)).toBe('1d 2h 5m ahead of real time');
    expect(describeOffset(-30_000)).toBe('1m behind real time');
  });
});

describe('ClockModule', () => {
  @Injectable()
  class NeedsClock {
    constructor(@Inject(Clock) readonly clock: Clock) {}
  }

  afterEach(() => jest.restoreAllMocks());

  async function boot(offsetMs: number | undefined): Promise<{ clock: Clock; warnings: string[] }> {
    const warnings: string[] = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
    const moduleRef = await Test.createTestingModule({
      imports: [ClockModule.forOffset(offsetMs)],
      providers: [NeedsClock],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const clock = app.get(NeedsClock).clock;
    await app.close();
    return { clock, warnings };
  }

  it('gives every provider the system clock, silently, without an offset', async () => {
    const { clock, warnings } = await boot(undefined);
    expect(clock).toBeInstanceOf(SystemClock);
    expect(warnings).toEqual([]);
  });

  it('announces a simulated clock at boot', async () => {
    const { clock, warnings } = await boot(-16 * DAY);
    expect(clock.offsetMs).toBe(-16 * DAY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('SIMULATED CLOCK');
    expect(warnings[0]).toContain('16d behind real time');
  });
});
