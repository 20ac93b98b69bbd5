import { AppError, AppErrorCode } from '@samverkan/platform';
import {
  canonicalJson,
  decideOnSeenKey,
  IDEMPOTENCY_HEADER,
  idempotencyKeyReused,
  parseIdempotencyKey,
  requestFingerprint,
} from './idempotency';

describe('Idempotency-Key header', () => {
  it('is optional', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it('accepts 1–255 visible ASCII characters (a UUID, a client-chosen token)', () => {
    expect(parseIdempotencyKey('3f1c5b0e-8d7a-4c2e-9b1f-0a2b3c4d5e6f')).toBe(
      '3f1c5b0e-8d7a-4c2e-9b1f-0a2b3c4d5e6f',
    );
    expect(parseIdempotencyKey('x'.repeat(255))).toHaveLength(255);
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(256)],
    ['with a space', 'retry 1'],
    ['non-ASCII', 'nyckel-å'],
  ])('rejects a key that is %s with a 400 on the header, without echoing it', (_name, key) => {
    let error: unknown;
    try {
      parseIdempotencyKey(key);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe(AppErrorCode.VALIDATION_FAILED);
    expect(appError.fields).toEqual([{ field: IDEMPOTENCY_HEADER, message: expect.any(String) }]);
    if (key.length > 0) expect(JSON.stringify(appError.fields)).not.toContain(key);
  });

  it('rejects the header sent twice', () => {
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow(AppError);
  });
});

describe('request fingerprint', () => {
  const request = {
    child: { personnummer: '191212121212', name: 'Tolvan' },
    categories: ['neglect'],
    immediateDanger: false,
  };

  it('does not depend on property order', () => {
    const reordered = {
      immediateDanger: false,
      categories: ['neglect'],
      child: { name: 'Tolvan', personnummer: '191212121212' },
    };
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(request));
  });

  it('changes with any value, including array order and nested fields', () => {
    const base = requestFingerprint(request);
    expect(requestFingerprint({ ...request, immediateDanger: true })).not.toBe(base);
    expect(requestFingerprint({ ...request, child: { ...request.child, name: 'Tolva' } })).not.toBe(base);
    expect(requestFingerprint({ ...request, categories: ['neglect', 'other'] })).not.toBe(base);
    expect(requestFingerprint({ ...request, categories: ['other', 'neglect'] })).not.toBe(
      requestFingerprint({ ...request, categories: ['neglect', 'other'] }),
    );
  });

  it('ignores absent optional fields (undefined is the same as missing)', () => {
    expect(requestFingerprint({ ...request, purposeDescription: undefined })).toBe(
      requestFingerprint(request),
    );
  });

  it('is a SHA-256 hex digest that holds none of the request', () => {
    const hash = requestFingerprint(request);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('191212121212');
  });

  it('serializes canonically', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { e: undefined, d: 2 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"d":2}}',
    );
  });
});

describe('a key seen before', () => {
  const stored = { requestHash: 'a'.repeat(64), resourceId: '0b6f0f9e-4a55-4a57-9a58-3f7d7b2b6e11' };

  it('with the same request replays the resource it created', () => {
    expect(decideOnSeenKey(stored, 'a'.repeat(64))).toEqual({
      kind: 'replay',
      resourceId: stored.resourceId,
    });
  });

  it('with a different request is a conflict, answered 409 IDEMPOTENCY_KEY_REUSED', () => {
    expect(decideOnSeenKey(stored, 'b'.repeat(64))).toEqual({ kind: 'conflict' });
    expect(idempotencyKeyReused().code).toBe(AppErrorCode.IDEMPOTENCY_KEY_REUSED);
  });
});
