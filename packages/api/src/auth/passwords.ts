import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard, in Node's standard library). Stored as
 * `scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>`, so the parameters can be raised later and old hashes still verify
 * (and are rehashed at the next sign-in). The default, N = 2^15, r = 8, p = 3, is OWASP's recommendation for scrypt
 * (32 MiB of memory per hash; about 0.1-0.2 s of one core on this machine, see docs/security.md).
 */
export interface ScryptParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 3 };

const KEY_LENGTH = 32;

const derive = (password: string, salt: Buffer, { N, r, p }: ScryptParameters): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * 2 + 1024 * 1024 };
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

export const hashPassword = async (password: string, parameters: ScryptParameters = DEFAULT_SCRYPT): Promise<string> => {
  const salt = randomBytes(16);
  const key = await derive(password, salt, parameters);
  return `scrypt$${parameters.N}$${parameters.r}$${parameters.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
};

const parse = (stored: string) => {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return undefined;
  const parameters = { N: Number(n), r: Number(r), p: Number(p) };
  if (![parameters.N, parameters.r, parameters.p].every((v) => Number.isSafeInteger(v) && v > 0)) return undefined;
  return { parameters, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
};

/** True when `password` matches; compares in constant time. */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.parameters);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
};

/** Whether a stored hash was made with weaker parameters than these (then it is replaced at the next sign-in). */
export const needsRehash = (stored: string, parameters: ScryptParameters): boolean => {
  const parsed = parse(stored);
  return !parsed || parsed.parameters.N < parameters.N || parsed.parameters.r < parameters.r || parsed.parameters.p < parameters.p;
};

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/** Why a new password is not acceptable, as a sentence, or undefined when it is. NIST 800-63B: length, not composition. */
export const passwordProblem = (password: string, email: string): string | undefined => {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long (it has ${length}).`;
  if (length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(password)) return 'The password must not contain control characters.';
  if (new Set(password).size < 4) return 'The password repeats too few characters: choose one that is harder to guess.';
  const lower = password.toLowerCase();
  if (lower.includes(email.toLowerCase()) || lower === email.split('@')[0]?.toLowerCase()) return 'The password must not be or contain the e-mail address.';
  if (COMMON.has(lower)) return 'This password is among the most common ones: choose another.';
  return undefined;
};

const COMMON = new Set([
  '1234567890',
  '12345678910',
  '0123456789',
  'qwertyuiop',
  'password12',
  'password123',
  'password1234',
  'iloveyou12',
  'abcdefghij',
  'qwerty1234',
  'qwerty12345',
  '1q2w3e4r5t',
  'changeme123',
  'welcome123',
  'letmein123',
  'administrator',
]);
