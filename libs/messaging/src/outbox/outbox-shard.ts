/**
 * Number of outbox shards. Writers and relays must agree on it, so it is a constant rather than an
 * option; changing it needs every pending row to be published first.
 */
export const OUTBOX_SHARD_COUNT = 16;

/** FNV-1a over the UTF-8 bytes: cheap, stable across processes and Node versions. */
export function outboxShardOf(key: string, shardCount: number = OUTBOX_SHARD_COUNT): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shardCount;
}
