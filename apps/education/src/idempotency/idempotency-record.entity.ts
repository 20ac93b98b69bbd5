import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One Idempotency-Key as used by one caller unit on one kind of request, with a fingerprint of the
 * request it first came with and the resource that request created.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyRecord {
  /** What the key was used for, e.g. `concern-report`: the same key may create one of each. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  scope: string;

  /** The caller's organisation unit: two schools choosing the same key never collide. */
  @PrimaryColumn({ name: 'unit_code', type: 'varchar', length: 64 })
  unitCode: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 255 })
  key: string;

  /** SHA-256 of the canonical request; not the request itself (it holds personal data). */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'resource_id', type: 'uuid' })
  resourceId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
