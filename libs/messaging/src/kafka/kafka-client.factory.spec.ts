import { logLevel } from 'kafkajs';
import { nestLevelOf } from './kafka-client.factory';

describe('nestLevelOf (kafkajs log entries in the Nest log)', () => {
  it('keeps the level of ordinary entries', () => {
    expect(nestLevelOf(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBe(
      'error',
    );
    expect(nestLevelOf(logLevel.WARN, 'Limiting retries for the idempotent producer')).toBe('warn');
    expect(nestLevelOf(logLevel.INFO, undefined)).toBe('debug');
  });

  it('logs routine transaction and coordinator retries at debug', () => {
    expect(
      nestLevelOf(
        logLevel.ERROR,
        'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
      ),
    ).toBe('debug');
    expect(
      nestLevelOf(
        logLevel.ERROR,
        "The coordinator is loading and hence can't process requests for this group",
      ),
    ).toBe('debug');
    expect(nestLevelOf(logLevel.ERROR, 'The group coordinator is not available')).toBe('debug');
    expect(nestLevelOf(logLevel.ERROR, 'This is not the correct coordinator for this group')).toBe('debug');
  });

  it("looks at the message too: the producer's send retry carries the broker's text there", () => {
    expect(
      nestLevelOf(
        logLevel.ERROR,
        undefined,
        'Failed to send messages: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
      ),
    ).toBe('debug');
    expect(nestLevelOf(logLevel.ERROR, undefined, 'Failed to send messages: Connection timeout')).toBe(
      'error',
    );
  });
});
