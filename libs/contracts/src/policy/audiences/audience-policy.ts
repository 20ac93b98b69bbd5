import type { EventType } from '../../events/event-map';
import type { PolicyRule } from '../sharing-policy';

/** One audience's column of the sharing policy: a decision for every event type. */
export type AudiencePolicy = { readonly [T in EventType]: PolicyRule };
