/**
 * Consumer audiences added after the core hub (a youth clinic, the police in SSPF cooperation, ...),
 * each read by one consumer service of the same name. Data only, one quoted name per line, so
 * `npm run new:consumer -- <name>` can append safely above the marker; adding one here gives the
 * service its audience topic, principal, ACLs, consumer group and dead-letter topic (topology.ts)
 * and requires its column in the sharing policy (libs/contracts/src/policy/audiences).
 */
export const CONSUMER_AUDIENCES = [
  // new-consumer: audiences above this line
] as const;
export type ConsumerAudience = (typeof CONSUMER_AUDIENCES)[number];
