import { randomClusterId } from './kafka-broker';

describe('randomClusterId (KRaft storage format)', () => {
  it("is a 22-character URL-safe base64 UUID that never starts with '-' (the storage tool would read it as an option)", () => {
    // 20,000 draws: with a leading '-' in one id of 64, the old generator produced ~300 here.
    const ids = Array.from({ length: 20_000 }, () => randomClusterId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Still a 128-bit UUID underneath.
    expect(Buffer.from(ids[0], 'base64url')).toHaveLength(16);
  });
});
