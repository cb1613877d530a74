import { readFileSync } from 'node:fs';
import { type AuthOptions, parseCorsOrigin } from './plugin';

/** Authentication settings from the environment, next to `loadConfig` for data: JWT verification, the rate limit, CORS origins. */
export const loadAuthOptions = (env: NodeJS.ProcessEnv = process.env): AuthOptions => {
  const publicKey = env.DMS_JWT_RS256_PUBLIC_KEY || (env.DMS_JWT_RS256_PUBLIC_KEY_FILE ? readFileSync(env.DMS_JWT_RS256_PUBLIC_KEY_FILE, 'utf8') : undefined);
  const perMinute = env.DMS_RATE_LIMIT_PER_MINUTE ? Number(env.DMS_RATE_LIMIT_PER_MINUTE) : undefined;
  if (perMinute !== undefined && (!Number.isSafeInteger(perMinute) || perMinute < 1)) {
    throw new Error(`DMS_RATE_LIMIT_PER_MINUTE must be a whole number of 1 or more, not "${env.DMS_RATE_LIMIT_PER_MINUTE}".`);
  }
  return {
    jwt: {
      hs256Secret: env.DMS_JWT_HS256_SECRET || undefined,
      rs256PublicKey: publicKey || undefined,
      issuer: env.DMS_JWT_ISSUER || undefined,
      audience: env.DMS_JWT_AUDIENCE || undefined,
      roleClaim: env.DMS_JWT_ROLE_CLAIM || undefined,
      partnerClaim: env.DMS_JWT_PARTNER_CLAIM || undefined,
    },
    requestsPerMinute: perMinute,
    corsOrigins: (env.DMS_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o.length > 0)
      .map(parseCorsOrigin),
  };
};

/**
 * `DMS_TRUST_PROXY`: unset or `false` trusts no proxy; `true` trusts every hop; a number trusts that many hops; otherwise
 * a comma-separated list of proxy addresses or CIDRs (`127.0.0.1,10.0.0.0/8`).
 */
export const loadTrustProxy = (env: NodeJS.ProcessEnv = process.env): boolean | number | string[] => {
  const value = env.DMS_TRUST_PROXY?.trim();
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
};
