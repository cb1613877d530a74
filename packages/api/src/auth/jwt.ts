import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import { type Actor, Role } from '@dms/domain';

/** JWTs from an external identity provider, mapped to DMS roles. HS256 with a shared secret or RS256 with a public key. */
export interface JwtConfig {
  readonly hs256Secret?: string | undefined;
  readonly rs256PublicKey?: string | undefined;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
  /** Claim holding the DMS role. Default `role`. */
  readonly roleClaim?: string | undefined;
  /** Claim holding a dealer's partner id. Default `partner_id`. */
  readonly partnerClaim?: string | undefined;
}

export class InvalidToken extends Error {}

const json = (part: string): Record<string, unknown> => {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidToken('the token is not a well-formed JWT');
};

/** Verifies signature, algorithm, expiry, not-before, issuer and audience, then maps the claims to a principal. */
export const verifyJwt = (token: string, config: JwtConfig, nowSeconds: number = Math.floor(Date.now() / 1000)): Actor => {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidToken('the token is not a JWT');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = json(headerPart);
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  if (header.alg === 'HS256' && config.hs256Secret) {
    const expected = createHmac('sha256', config.hs256Secret).update(signed).digest();
    if (expected.length !== signature.length || !timingSafeEqual(expected, signature)) throw new InvalidToken('bad signature');
  } else if (header.alg === 'RS256' && config.rs256PublicKey) {
    if (!verify('RSA-SHA256', signed, createPublicKey(config.rs256PublicKey), signature)) throw new InvalidToken('bad signature');
  } else {
    throw new InvalidToken(`algorithm ${String(header.alg)} is not accepted`);
  }
  const claims = json(payloadPart);
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) throw new InvalidToken('the token has expired or has no expiry');
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) throw new InvalidToken('the token is not valid yet');
  if (config.issuer && claims.iss !== config.issuer) throw new InvalidToken('unexpected issuer');
  if (config.audience && !(claims.aud === config.audience || (Array.isArray(claims.aud) && claims.aud.includes(config.audience)))) {
    throw new InvalidToken('unexpected audience');
  }
  const role = Role.safeParse(claims[config.roleClaim ?? 'role']);
  if (!role.success || role.data === 'system') throw new InvalidToken('the token carries no DMS role');
  const partnerId = claims[config.partnerClaim ?? 'partner_id'];
  if (role.data === 'dealer' && typeof partnerId !== 'string') throw new InvalidToken('a dealer token must name its partner');
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new InvalidToken('the token has no subject');
  return { id: `jwt:${claims.sub.slice(0, 100)}`, role: role.data, ...(role.data === 'dealer' ? { partnerId: partnerId as string } : {}) };
};

/** Signs an HS256 token: for tests and for tools that mint short-lived tokens. */
export const signHs256 = (claims: Record<string, unknown>, secret: string): string => {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
};
