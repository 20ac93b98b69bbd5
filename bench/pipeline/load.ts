import { Agent, request } from 'node:http';

// Open-loop load: reports are offered on a fixed schedule whatever the server's speed, so a slow
// server shows up as latency and backlog instead of quietly lowering the rate (coordinated omission).
// In-flight requests are capped; hitting the cap counts as "behind" and fails a stability step.

export interface Posted {
  id: string;
  /** Client clock when the request was sent and when the 201 came back (ms since epoch). */
  sentAt: number;
  answeredAt: number;
}

export interface LoadResult {
  posted: Posted[];
  errors: number;
  errorStatuses: Record<string, number>;
  /** Requests that could not be sent on schedule because `maxInFlight` were already open. */
  skipped: number;
  offeredRate: number;
  achievedRate: number;
  seconds: number;
}

export interface LoadOptions {
  url: string;
  rate: number;
  seconds: number;
  token?: string;
  body: () => unknown;
  /** Reads the new report's id from the 201 body. */
  idOf: (body: { id?: string }) => string | undefined;
  maxInFlight?: number;
  onTick?: (sent: number, total: number) => void;
  /** Called once, at the given fraction of the run (the crash the benchmark injects). */
  at?: Array<{ fraction: number; run: () => void }>;
}

/** Below the servers' keep-alive timeout (Node's default 5 s), see offerLoad. */
export const KEEP_ALIVE_IDLE_MS = 4_000;

export async function offerLoad(options: LoadOptions): Promise<LoadResult> {
  // Idle sockets are closed before the server's keep-alive timeout (Node's default: 5 s) can close
  // them: a request written onto a socket just as the server closes it fails with ECONNRESET, and the
  // agent reuses the most recently used sockets first, so some sit idle that long.
  const agent = new Agent({ keepAlive: true, maxSockets: 128, timeout: KEEP_ALIVE_IDLE_MS });
  const target = new URL(options.url);
  const maxInFlight = options.maxInFlight ?? 512;
  const total = Math.round(options.rate * options.seconds);
  const posted: Posted[] = [];
  const errorStatuses: Record<string, number> = {};
  let errors = 0;
  let skipped = 0;
  let inFlight = 0;
  let sent = 0;
  const pending: Array<Promise<void>> = [];
  const start = Date.now();
  const hooks = [...(options.at ?? [])].sort((a, b) => a.fraction - b.fraction);

  const one = () =>
    new Promise<void>((done) => {
      const payload = JSON.stringify(options.body());
      const sentAt = Date.now();
      inFlight++;
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            inFlight--;
            const answeredAt = Date.now();
            const status = res.statusCode ?? 0;
            let id: string | undefined;
            if (status === 201) {
              try {
                id = options.idOf(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string });
              } catch {
                id = undefined;
              }
            }
            if (id) posted.push({ id, sentAt, answeredAt });
            else {
              errors++;
              errorStatuses[String(status)] = (errorStatuses[String(status)] ?? 0) + 1;
            }
            done();
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        inFlight--;
        errors++;
        const key = error.code ?? 'network';
        errorStatuses[key] = (errorStatuses[key] ?? 0) + 1;
        done();
      });
      req.end(payload);
    });

  // A 1 ms tick sends however many reports the schedule says are due by now.
  await new Promise<void>((finish) => {
    const timer = setInterval(() => {
      const elapsed = (Date.now() - start) / 1000;
      while (hooks.length > 0 && elapsed >= hooks[0].fraction * options.seconds) hooks.shift()!.run();
      const due = Math.min(total, Math.floor(elapsed * options.rate));
      while (sent < due) {
        sent++;
        if (inFlight >= maxInFlight) skipped++;
        else pending.push(one());
      }
      options.onTick?.(sent, total);
      if (sent >= total) {
        clearInterval(timer);
        finish();
      }
    }, 1);
  });
  const sendSeconds = (Date.now() - start) / 1000;
  await Promise.all(pending);
  agent.destroy();
  return {
    posted,
    errors,
    errorStatuses,
    skipped,
    offeredRate: options.rate,
    // Reports answered 201 per second of sending. A server that keeps up only by queueing requests is
    // caught by the step's HTTP-slowdown rule (bench/pipeline/run.ts), not here, so that the last
    // request's own latency does not fail a short step.
    achievedRate: posted.length / Math.max(sendSeconds, options.seconds),
    seconds: sendSeconds,
  };
}
