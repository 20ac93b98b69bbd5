import { Kafka, logLevel, type SASLOptions } from 'kafkajs';

/** How infrastructure code (launcher, tests, operations) reaches the broker as a given principal. */
export interface KafkaAdminConnection {
  brokers: string[];
  username: string;
  password: string;
  /** The hub uses SCRAM-SHA-256 everywhere; kept explicit so a deployment can choose 512. */
  mechanism?: 'scram-sha-256' | 'scram-sha-512';
  clientId?: string;
  /** Per-request timeout; short by default because every caller wraps it in its own bounded wait. */
  requestTimeoutMs?: number;
}

export function kafkaFor(connection: KafkaAdminConnection): Kafka {
  const sasl: SASLOptions = {
    mechanism: connection.mechanism ?? 'scram-sha-256',
    username: connection.username,
    password: connection.password,
  };
  return new Kafka({
    clientId: connection.clientId ?? `samverkan-admin-${connection.username}`,
    brokers: connection.brokers,
    sasl,
    connectionTimeout: 3_000,
    requestTimeout: connection.requestTimeoutMs ?? 15_000,
    // Callers report failures themselves, with context; kafkajs' own logging would only repeat them.
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 200 },
  });
}

/** Runs fn with a connected admin client and always disconnects it. */
export async function withKafkaAdmin<T>(
  connection: KafkaAdminConnection,
  fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>,
): Promise<T> {
  const admin = kafkaFor(connection).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * The Kafka error type (e.g. TOPIC_AUTHORIZATION_FAILED) inside a kafkajs error, which often wraps
 * the protocol error in `cause` or in `errors` (retries exhausted, aggregated partition errors).
 */
export function kafkaErrorType(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (e: unknown): string | undefined => {
    if (!e || typeof e !== 'object' || seen.has(e)) return undefined;
    seen.add(e);
    const record = e as { type?: unknown; cause?: unknown; errors?: unknown; originalError?: unknown };
    if (typeof record.type === 'string') return record.type;
    const nested = [
      record.cause,
      record.originalError,
      ...(Array.isArray(record.errors) ? record.errors : []),
    ];
    for (const inner of nested) {
      const found = visit(inner);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error);
}
