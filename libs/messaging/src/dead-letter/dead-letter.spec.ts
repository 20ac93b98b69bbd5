import { buildDeadLetter, DeadLetterReason, DLQ_HEADERS } from './dead-letter';

describe('buildDeadLetter', () => {
  it('keeps the original key, value and headers and adds the DLQ headers', () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    const letter = buildDeadLetter({
      topic: 'samverkan.audience.education',
      partition: 3,
      message: {
        key: Buffer.from('child-1'),
        value: Buffer.from('{"a":1}'),
        headers: { ce_id: 'abc' },
        offset: '42',
      },
      consumerGroup: 'education',
      reason: DeadLetterReason.RetriesExhausted,
      error: { errorClass: 'TransientError', code: 'MESSAGING_TRANSIENT', message: 'downstream busy' },
      attempts: 5,
      now,
    });
    expect(letter.key?.toString()).toBe('child-1');
    expect(letter.value?.toString()).toBe('{"a":1}');
    expect(letter.headers).toEqual({
      ce_id: 'abc',
      [DLQ_HEADERS.originalTopic]: 'samverkan.audience.education',
      [DLQ_HEADERS.originalPartition]: '3',
      [DLQ_HEADERS.originalOffset]: '42',
      [DLQ_HEADERS.consumerGroup]: 'education',
      [DLQ_HEADERS.reason]: 'retries-exhausted',
      [DLQ_HEADERS.errorClass]: 'TransientError',
      [DLQ_HEADERS.errorCode]: 'MESSAGING_TRANSIENT',
      [DLQ_HEADERS.errorMessage]: 'downstream busy',
      [DLQ_HEADERS.attempts]: '5',
      [DLQ_HEADERS.failedAt]: '2026-01-02T03:04:05.000Z',
    });
  });
});
