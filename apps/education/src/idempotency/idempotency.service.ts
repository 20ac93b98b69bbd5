import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decideOnSeenKey, idempotencyKeyReused } from './idempotency';

export interface IdempotentRequest {
  /** What is being created, e.g. `concern-report`. */
  scope: string;
  unitCode: string;
  /** The Idempotency-Key header, or undefined when the caller sent none. */
  key: string | undefined;
  requestHash: string;
}

export type IdempotentOutcome = { kind: 'created' } | { kind: 'replay'; resourceId: string };

/**
 * Claims an Idempotency-Key inside the caller's transaction, before the resource is created.
 *
 * The key row is inserted first (with the id the new resource will get): a concurrent request with
 * the same key waits on the primary key until this transaction ends, then finds the committed row
 * and is answered with the same resource; if this transaction rolls back, the key is free again.
 */
@Injectable()
export class IdempotencyService {
  async claim(
    manager: EntityManager,
    request: IdempotentRequest,
    newResourceId: string,
  ): Promise<IdempotentOutcome> {
    if (request.key === undefined) return { kind: 'created' };
    const inserted: unknown[] = await manager.query(
      `INSERT INTO idempotency_keys (scope, unit_code, idempotency_key, request_hash, resource_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (scope, unit_code, idempotency_key) DO NOTHING
       RETURNING resource_id`,
      [request.scope, request.unitCode, request.key, request.requestHash, newResourceId],
    );
    if (inserted.length === 1) return { kind: 'created' };
    const rows: Array<{ request_hash: string; resource_id: string }> = await manager.query(
      `SELECT request_hash, resource_id FROM idempotency_keys
       WHERE scope = $1 AND unit_code = $2 AND idempotency_key = $3`,
      [request.scope, request.unitCode, request.key],
    );
    const decision = decideOnSeenKey(
      { requestHash: rows[0].request_hash, resourceId: rows[0].resource_id },
      request.requestHash,
    );
    if (decision.kind === 'conflict') throw idempotencyKeyReused();
    return decision;
  }
}
