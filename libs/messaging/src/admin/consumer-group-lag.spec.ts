import { findTimestampOfOffset } from './consumer-group-lag';

/** A partition's log as message timestamps by offset; offsetAt as Kafka's ListOffsets answers it. */
function log(timestamps: number[]) {
  let calls = 0;
  const offsetAt = async (t: number) => {
    calls += 1;
    const i = timestamps.findIndex((ts) => ts >= t);
    return i === -1 ? timestamps.length : i;
  };
  return { offsetAt, calls: () => calls };
}

describe('findTimestampOfOffset (lag in seconds without reading the message)', () => {
  const now = Date.parse('2026-11-23T17:00:00Z');

  it.each([
    ['a message 3.4 s old', 3_400],
    ['a message 42 min old', 42 * 60_000 + 123],
    ['a message 9 days old', 9 * 86_400_000 + 777],
  ])('finds %s to within a second, never later than the truth', async (_label, age) => {
    const stamps = [now - age - 60_000, now - age - 5_000, now - age, now - age + 10, now - 500];
    const partition = log(stamps);
    const found = await findTimestampOfOffset(partition.offsetAt, 2, now);
    expect(found).not.toBeNull();
    expect(found!).toBeLessThanOrEqual(stamps[2]);
    expect(stamps[2] - found!).toBeLessThan(1000);
    // Logarithmic in the age: a 9-day-old message costs well under 100 lookups.
    expect(partition.calls()).toBeLessThan(2 * Math.log2(age / 1000 + 2) + 4);
  });

  it('stays within a second for each of two messages written in the same second', async () => {
    const stamps = [now - 10_000, now - 9_990, now - 2_000];
    for (const offset of [0, 1]) {
      const found = (await findTimestampOfOffset(log(stamps).offsetAt, offset, now))!;
      expect(found).toBeLessThanOrEqual(stamps[offset]);
      expect(stamps[offset] - found).toBeLessThan(1000);
    }
  });

  it('gives up on a message older than 400 days', async () => {
    expect(await findTimestampOfOffset(log([now - 401 * 86_400_000, now]).offsetAt, 0, now)).toBeNull();
  });
});
