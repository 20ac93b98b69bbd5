import { catalogEntry } from '@samverkan/contracts';
import { validateRequest } from '@samverkan/platform';
import { RecordAttendanceRequest } from './attendance.dto';
import { completionOutcomes, courseSummary } from './completion';

describe('completion by the catalog rule', () => {
  it('Aktivt föräldraskap: at least 80 % of 6 sessions, i.e. 5', () => {
    const rule = catalogEntry('aktivt-foraldraskap-3-12')!.completionRule;
    const outcomes = completionOutcomes(rule, 6, [
      { enrollmentId: 'six', attended: 6 },
      { enrollmentId: 'five', attended: 5 },
      { enrollmentId: 'four', attended: 4 },
      { enrollmentId: 'none', attended: 0 },
    ]);
    expect(outcomes.map((o) => [o.enrollmentId, o.completed])).toEqual([
      ['six', true],
      ['five', true],
      ['four', false],
      ['none', false],
    ]);
  });

  it('ICDP: at least 6 sessions attended, whatever the plan', () => {
    const rule = catalogEntry('icdp')!.completionRule;
    expect(completionOutcomes(rule, 8, [{ enrollmentId: 'x', attended: 6 }])[0].completed).toBe(true);
    expect(completionOutcomes(rule, 8, [{ enrollmentId: 'x', attended: 5 }])[0].completed).toBe(false);
  });
});

describe('courseSummary', () => {
  it('counts who held a place, completed, did not, dropped out, and still waited', () => {
    expect(
      courseSummary(3, 6, 6, [
        { status: 'completed', heldPlace: true },
        { status: 'completed', heldPlace: true },
        { status: 'not-completed', heldPlace: true },
        { status: 'withdrawn', heldPlace: true },
        { status: 'withdrawn', heldPlace: false },
        { status: 'waitlisted', heldPlace: false },
      ]),
    ).toEqual({
      capacity: 3,
      enrolled: 4,
      completed: 2,
      notCompleted: 1,
      withdrawn: 1,
      waitlisted: 1,
      sessionsHeld: 6,
      sessionsPlanned: 6,
    });
  });
});

describe('RecordAttendanceRequest (400 per field)', () => {
  it('names the entry and field', async () => {
    const outcome = await validateRequest(RecordAttendanceRequest, {
      participants: [
        { enrollmentId: '2b1f4c1e-3a5d-4e8f-9a0b-1c2d3e4f5a6b', present: true },
        { enrollmentId: 'x', present: 'yes' },
      ],
    });
    expect(outcome.ok ? [] : outcome.fields.map((f) => f.field).sort()).toEqual([
      'participants.1.enrollmentId',
      'participants.1.present',
    ]);
  });

  it('needs at least one participant', async () => {
    expect(await validateRequest(RecordAttendanceRequest, { participants: [] })).toMatchObject({
      ok: false,
      fields: [{ field: 'participants' }],
    });
  });
});
