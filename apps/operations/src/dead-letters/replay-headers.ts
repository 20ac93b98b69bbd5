import { DLQ_HEADERS } from '@samverkan/messaging';

/**
 * Headers operations adds to a replayed message. The consumer kit copies a message's headers into its
 * dead letter, so a replay that fails again arrives in the DLQ still carrying `ops_replay_of`: that is
 * how a replay of a replay is recognised and refused.
 */
export const REPLAY_HEADERS = {
  replayOf: 'ops_replay_of',
  replayedAt: 'ops_replayed_at',
} as const;

const DLQ_HEADER_NAMES = new Set<string>(Object.values(DLQ_HEADERS));

/** The message's own headers: the dead letter's minus what the consumer kit added when dead-lettering. */
export function originalHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !DLQ_HEADER_NAMES.has(name)));
}
