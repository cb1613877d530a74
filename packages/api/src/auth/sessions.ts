import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie: `<sessionId>.<secret>`. Only sha256(secret) is recorded (`SessionStarted`). */
export const SESSION_COOKIE = 'dms_session';

export interface SessionSettings {
  /** A session ends after this long without a request. Default 30 minutes. */
  readonly idleTimeoutSeconds: number;
  /** And this long after sign-in, whatever the activity. Default 12 hours. */
  readonly lifetimeSeconds: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleTimeoutSeconds: 30 * 60, lifetimeSeconds: 12 * 3600 };

const COOKIE = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;

/** Constant-time equality of two hex digests (or any two strings of the same alphabet). */
export const sameDigest = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export const newSessionCredentials = (): { sessionId: string; secret: string; cookie: string } => {
  const sessionId = randomBytes(16).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { sessionId, secret, cookie: `${sessionId}.${secret}` };
};

export const parseSessionCookie = (value: string | undefined): { sessionId: string; secret: string } | undefined => {
  const m = value ? COOKIE.exec(value) : null;
  return m ? { sessionId: m[1]!, secret: m[2]! } : undefined;
};

/**
 * The session's CSRF token, derived from its secret: the page learns it from sign-in or `/auth/me` (which another origin
 * cannot read) and sends it as `x-csrf-token`; it reveals nothing about the cookie's secret.
 */
export const csrfTokenFor = (secret: string): string => createHash('sha256').update(`csrf:${secret}`, 'utf8').digest('base64url');

/** Failed sign-ins per key (an account, a client address) over a sliding window, in this process. */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** Seconds until another attempt is allowed, or 0. */
  blockedFor(key: string, now: number): number {
    const recent = this.#recent(key, now);
    if (recent.length < this.max) return 0;
    return Math.ceil((recent[recent.length - this.max]! + this.windowMs - now) / 1000);
  }

  fail(key: string, now: number): void {
    const recent = this.#recent(key, now);
    recent.push(now);
    if (this.#failures.size > 100_000) this.#failures.clear();
    this.#failures.set(key, recent);
  }

  clear(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }
}
