import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { type Audience, createPseudonymizer, MIN_PSEUDONYM_KEY_BYTES } from '@samverkan/contracts';

export enum RouterKeyErrorCode {
  KEY_SOURCE = 'ROUTER_KEY_SOURCE',
  KEY_UNREADABLE = 'ROUTER_KEY_UNREADABLE',
  KEY_TOO_SHORT = 'ROUTER_KEY_TOO_SHORT',
}

/** Stops the boot. The message names the variable and the rule, never the key or the file's content. */
export class RouterKeyError extends Error {
  constructor(
    readonly code: RouterKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RouterKeyError';
  }
}

export interface RouterKeySource {
  ROUTER_PSEUDONYM_KEY_FILE?: string;
  ROUTER_PSEUDONYM_KEY?: string;
}

// Domain separation: each internal use gets a key of its own derived from the secret, so a pseudonym
// from one place (the disclosure log, an agency's audience) never matches one from another (reporting).
const INTERNAL_LABEL = 'samverkan.router.internal-pseudonym.v1';
const AUDIENCE_LABEL = 'samverkan.router.audience-subject.v1';

const derive = (secret: Buffer, label: string): Buffer => createHmac('sha256', secret).update(label).digest();

/**
 * The router's secret and the pseudonymizers derived from it. The secret never leaves this object:
 * it is not enumerable, and util.inspect / JSON.stringify print a placeholder, so a stray log of a
 * provider or a config dump shows nothing.
 */
export class RouterKeys {
  readonly #secret: Buffer;
  readonly #internal: (personnummer: string) => string;
  readonly #reporting: (personnummer: string) => string;
  readonly #audience = new Map<Audience, (personnummer: string) => string>();

  constructor(secret: Buffer) {
    if (secret.length < MIN_PSEUDONYM_KEY_BYTES) {
      throw new RouterKeyError(
        RouterKeyErrorCode.KEY_TOO_SHORT,
        `The router pseudonym key must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes`,
      );
    }
    this.#secret = Buffer.from(secret);
    this.#reporting = createPseudonymizer(this.#secret);
    this.#internal = createPseudonymizer(derive(this.#secret, INTERNAL_LABEL));
  }

  /** The key applyTransform() needs for pseudonymized (reporting) copies. */
  get pseudonymKey(): Buffer {
    return this.#secret;
  }

  /** HMAC-SHA256(key, personnummer): the subject reporting sees (what applyTransform computes too). */
  reportingPseudonym(personnummer: string): string {
    return this.#reporting(personnummer);
  }

  /** The router's own handle on a child (consents, disclosure log): never leaves the router's database. */
  internalPseudonym(personnummer: string): string {
    return this.#internal(personnummer);
  }

  /** The subject of an identity-linked copy to an agency: stable per child and audience, unlinkable across audiences. */
  audienceSubject(audience: Audience, personnummer: string): string {
    let pseudonymize = this.#audience.get(audience);
    if (!pseudonymize) {
      pseudonymize = createPseudonymizer(derive(this.#secret, `${AUDIENCE_LABEL}:${audience}`));
      this.#audience.set(audience, pseudonymize);
    }
    return pseudonymize(personnummer);
  }

  toJSON(): string {
    return '[RouterKeys: redacted]';
  }

  [inspect.custom](): string {
    return '[RouterKeys: redacted]';
  }
}

/**
 * Reads the key from exactly one of ROUTER_PSEUDONYM_KEY_FILE and ROUTER_PSEUDONYM_KEY. A trailing
 * newline in the file (as editors and `kubectl create secret --from-file` leave it) is not part
 * of the key.
 */
export function loadRouterKeys(env: RouterKeySource): RouterKeys {
  const file = env.ROUTER_PSEUDONYM_KEY_FILE;
  const value = env.ROUTER_PSEUDONYM_KEY;
  if ((file === undefined) === (value === undefined)) {
    throw new RouterKeyError(
      RouterKeyErrorCode.KEY_SOURCE,
      'Set exactly one of ROUTER_PSEUDONYM_KEY_FILE and ROUTER_PSEUDONYM_KEY',
    );
  }
  let text: string;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new RouterKeyError(
        RouterKeyErrorCode.KEY_UNREADABLE,
        `ROUTER_PSEUDONYM_KEY_FILE cannot be read (${code})`,
      );
    }
  } else {
    text = value as string;
  }
  return new RouterKeys(Buffer.from(text.replace(/\r?\n$/, ''), 'utf8'));
}
