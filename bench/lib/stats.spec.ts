import { percentile, round } from './stats';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
  });

  it('is NaN for no samples and does not reorder its input', () => {
    const samples = [3, 1, 2];
    expect(percentile([], 50)).toBeNaN();
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('rounds to the given digits', () => {
    expect(round(1.2345, 2)).toBe(1.23);
  });
});
