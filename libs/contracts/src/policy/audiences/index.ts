import type { ConsumerAudience } from '../../topology/consumers';
import type { AudiencePolicy } from './audience-policy';
// new-consumer: imports above this line

export type { AudiencePolicy } from './audience-policy';

/**
 * The sharing-policy column of every consumer audience declared in topology/consumers.ts, one file
 * each (`<audience>.policy.ts`). The type makes a missing column a compile error; each file's type
 * makes a missing event type one. A new column starts with every event withheld ('no-rule') and
 * gains rules only through review (docs/adding-a-consumer.md, .github/CODEOWNERS).
 */
export const CONSUMER_AUDIENCE_POLICIES: { readonly [A in ConsumerAudience]: AudiencePolicy } = {
  // new-consumer: policies above this line
};
