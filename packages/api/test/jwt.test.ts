import { createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidToken, signHs256, verifyJwt } from '../src/auth/jwt';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = 1_800_000_000;

describe('JWT verification', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rs256 = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }) => {
    const signed = `${b64(header)}.${b64(claims)}`;
    return `${signed}.${createSign('RSA-SHA256').update(signed).sign(privateKey).toString('base64url')}`;
  };
  const config = { rs256PublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), issuer: 'idp', audience: 'dms' };
  const claims = { iss: 'idp', aud: ['dms', 'other'], sub: 'u-7', exp: now + 60, role: 'dealer', partner_id: 'acme' };

  it('maps an RS256 token to a principal', () => {
    expect(verifyJwt(rs256(claims), config, now)).toEqual({ id: 'jwt:u-7', role: 'dealer', partnerId: 'acme' });
  });

  it('refuses tampered claims, other algorithms, and tokens out of their time window', () => {
    const [h, , s] = rs256(claims).split('.');
    expect(() => verifyJwt(`${h}.${b64({ ...claims, role: 'admin' })}.${s}`, config, now)).toThrow(InvalidToken);
    // An HS256 token signed with the public key as secret: the classic algorithm-confusion attack.
    expect(() => verifyJwt(signHs256(claims, config.rs256PublicKey), config, now)).toThrow(/not accepted/);
    expect(() => verifyJwt(rs256(claims, { alg: 'none' }), config, now)).toThrow(/not accepted/);
    expect(() => verifyJwt(rs256({ ...claims, nbf: now + 30 }), config, now)).toThrow(/not valid yet/);
    expect(() => verifyJwt(rs256({ ...claims, exp: now }), config, now)).toThrow(/expired/);
    expect(() => verifyJwt(rs256({ ...claims, iss: 'evil' }), config, now)).toThrow(/issuer/);
    expect(() => verifyJwt(rs256({ ...claims, sub: '' }), config, now)).toThrow(/subject/);
  });

  it('reads the role and partner from configurable claims', () => {
    const custom = { ...config, roleClaim: 'dms/role', partnerClaim: 'dms/partner' };
    expect(verifyJwt(rs256({ ...claims, role: undefined, 'dms/role': 'finance' }), custom, now)).toEqual({ id: 'jwt:u-7', role: 'finance' });
  });
});
