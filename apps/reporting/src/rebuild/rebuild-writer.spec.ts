import type { ProjectionBatch } from '../projections/projection-batch';
import type { ProjectionOp } from '../projections/projection-tables';
import { RebuildWriter } from './rebuild-writer';

// The writer's ordering, merging, back-pressure and failure rules, with a recording stand-in for the
// database (the rebuild itself runs against real Kafka and Postgres in reporting.int-spec.ts).

const enrolment = (id: number, columns: Record<string, string | boolean>): ProjectionOp[] => [
  {
    table: 'course_enrolments',
    row: {
      enrollment_id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
      course_id: 'c',
      pseudonym: 'p',
      ...columns,
    },
  },
];

interface Recorded {
  rows: unknown[][];
}

/** A write that records what it was given and finishes when the test says so. */
function recordingWrite() {
  const written: Recorded[] = [];
  const finishers: Array<(error?: Error) => void> = [];
  let active = 0;
  let maxActive = 0;
  const write = async (batch: ProjectionBatch) => {
    active++;
    maxActive = Math.max(maxActive, active);
    const statements: unknown[][] = [];
    await batch.flush({
      query: async (_sql: string, parameters?: unknown[]) => void statements.push(parameters ?? []),
    });
    written.push({ rows: statements });
    try {
      await new Promise<void>((resolve, reject) =>
        finishers.push((error) => (error ? reject(error) : resolve())),
      );
    } finally {
      active--;
    }
  };
  const settle = async () => new Promise((r) => setImmediate(r));
  return {
    write,
    written,
    maxActive: () => maxActive,
    /** Lets the oldest unfinished write finish (or fail) and the writer react. */
    finishNext: async (error?: Error) => {
      await settle();
      const finish = finishers.shift();
      if (!finish) throw new Error('no write in progress');
      finish(error);
      await settle();
    },
    settle,
  };
}

describe('RebuildWriter', () => {
  it('writes one batch at a time, in the order added, merging rows that wait for the writer', async () => {
    const db = recordingWrite();
    const writer = new RebuildWriter({ schema: 'reporting_rebuild', write: db.write });
    await writer.add([enrolment(1, { enrolled_at: '2026-01-01T10:00:00Z' })]); // taken at once
    await writer.add([enrolment(2, { enrolled_at: '2026-01-02T10:00:00Z' })]); // waits
    await writer.add([enrolment(1, { completed_at: '2026-02-01T10:00:00Z' })]); // waits (key 1 again)
    await writer.add([enrolment(2, { withdrawn_at: '2026-01-03T10:00:00Z' })]); // merges into key 2
    expect(db.written).toHaveLength(1);
    const drained = writer.drain();
    await db.finishNext();
    expect(db.written).toHaveLength(2);
    await db.finishNext();
    await drained;
    expect(db.maxActive()).toBe(1);
    // First write: key 1 as first added. Second: keys 1 and 2, each merged from its two events.
    const columns = (w: Recorded) => w.rows[0] as unknown[][];
    expect(columns(db.written[0])[0]).toEqual(['00000000-0000-4000-8000-000000000001']);
    const second = columns(db.written[1]);
    expect(second[0]).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
    ]);
    // enrolled_at, withdrawn_at, completed_at (columns 4, 5, 7 of course_enrolments)
    expect([second[3], second[5], second[7]]).toEqual([
      [null, '2026-01-02T10:00:00Z'],
      [null, '2026-01-03T10:00:00Z'],
      ['2026-02-01T10:00:00Z', null],
    ]);
    expect(writer.timings.writes).toBe(2);
  });

  it('holds the replay back while too many rows wait, and lets it go once the writer takes them', async () => {
    const db = recordingWrite();
    const writer = new RebuildWriter({ schema: 'reporting_rebuild', write: db.write, maxPendingRows: 3 });
    await writer.add([enrolment(1, {})]);
    let released = false;
    const held = writer
      .add([enrolment(2, {}), enrolment(3, {}), enrolment(4, {})])
      .then(() => (released = true));
    await db.settle();
    expect(released).toBe(false);
    await db.finishNext();
    await held;
    expect(released).toBe(true);
    expect(db.written).toHaveLength(2);
    await db.finishNext();
    await writer.drain();
  });

  it('a failed write fails the next add and drain, and nothing more is written', async () => {
    const db = recordingWrite();
    const writer = new RebuildWriter({ schema: 'reporting_rebuild', write: db.write });
    await writer.add([enrolment(1, {})]);
    await writer.add([enrolment(2, {})]);
    await db.finishNext(new Error('disk full'));
    await expect(writer.add([enrolment(3, {})])).rejects.toThrow('disk full');
    await expect(writer.drain()).rejects.toThrow('disk full');
    expect(db.written).toHaveLength(1);
  });

  it('drain with nothing added resolves at once', async () => {
    const db = recordingWrite();
    await new RebuildWriter({ schema: 'reporting_rebuild', write: db.write }).drain();
    expect(db.written).toEqual([]);
  });
});

describe('RebuildWriter with several writers', () => {
  it('writes at once on disjoint keys, and each key ends with its last value (order kept per key)', async () => {
    const inFlight = new Set<string>();
    const final = new Map<string, unknown>();
    let overlaps = 0;
    let active = 0;
    let maxActive = 0;
    const writer = new RebuildWriter({
      schema: 'reporting_rebuild',
      writers: 3,
      write: async (batch) => {
        const rows: Array<[string, unknown]> = [];
        await batch.flush({
          query: async (_sql: string, parameters?: unknown[]) => {
            const [ids, , , enrolledAt] = (parameters ?? []) as string[][];
            ids.forEach((id, i) => rows.push([id, enrolledAt[i]]));
          },
        });
        for (const [id] of rows) if (inFlight.has(id)) overlaps++;
        for (const [id] of rows) inFlight.add(id);
        maxActive = Math.max(maxActive, ++active);
        await new Promise((r) => setTimeout(r, 2));
        for (const [id, value] of rows) {
          inFlight.delete(id);
          final.set(id, value);
        }
        active--;
      },
    });
    const day = (round: number) => `2026-01-${String(1 + round).padStart(2, '0')}T10:00:00Z`;
    for (let round = 0; round < 20; round++) {
      await writer.add(Array.from({ length: 30 }, (_, i) => enrolment(i, { enrolled_at: day(round) })));
    }
    await writer.drain();
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(3);
    expect(overlaps).toBe(0);
    expect(final.size).toBe(30);
    expect(new Set(final.values())).toEqual(new Set([day(19)]));
    expect(writer.timings.writers).toBe(3);
  });
});
