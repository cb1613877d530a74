import { describe, it } from 'vitest';
import { given } from '../testing';
import { type ApiKeyEvent, apiKeyDecider } from './api-keys';

const hash = 'a'.repeat(64);
const at = '2026-01-01T00:00:00.000Z';
const issued = (role: 'admin' | 'dealer' = 'admin', partnerId?: string): ApiKeyEvent => ({
  type: 'ApiKeyIssued',
  data: { keyId: 'k1', name: 'ops', role, ...(partnerId ? { partnerId } : {}), secretHash: hash, issuedAt: at },
});

describe('API keys', () => {
  const key = given(apiKeyDecider);

  it('issues a key with only the hash of its secret', () => {
    key()
      .when({ type: 'IssueApiKey', data: { keyId: 'k1', name: 'ops', role: 'admin', secretHash: hash, issuedAt: at } })
      .then(issued());
  });

  it('binds a dealer key to its partner, and refuses a dealer key without one or a staff key with one', () => {
    key()
      .when({ type: 'IssueApiKey', data: { keyId: 'k1', name: 'ops', role: 'dealer', partnerId: 'acme', secretHash: hash, issuedAt: at } })
      .then(issued('dealer', 'acme'));
    key()
      .when({ type: 'IssueApiKey', data: { keyId: 'k1', name: 'ops', role: 'dealer', secretHash: hash, issuedAt: at } })
      .thenRefuses('DEALER_KEY_NEEDS_PARTNER');
    key()
      .when({ type: 'IssueApiKey', data: { keyId: 'k1', name: 'ops', role: 'sales', partnerId: 'acme', secretHash: hash, issuedAt: at } })
      .thenRefuses('STAFF_KEY_WITH_PARTNER');
  });

  it('refuses to issue the same key twice', () => {
    key(issued())
      .when({ type: 'IssueApiKey', data: { keyId: 'k1', name: 'ops', role: 'admin', secretHash: hash, issuedAt: at } })
      .thenRefuses('API_KEY_ALREADY_EXISTS');
  });

  it('revokes a key once', () => {
    key(issued())
      .when({ type: 'RevokeApiKey', data: { keyId: 'k1', revokedAt: at } })
      .then({ type: 'ApiKeyRevoked', data: { keyId: 'k1', revokedAt: at } });
    key(issued(), { type: 'ApiKeyRevoked', data: { keyId: 'k1', revokedAt: at } })
      .when({ type: 'RevokeApiKey', data: { keyId: 'k1', revokedAt: at } })
      .thenRefuses('API_KEY_ALREADY_REVOKED');
    key()
      .when({ type: 'RevokeApiKey', data: { keyId: 'k1', revokedAt: at } })
      .thenRefuses('API_KEY_NOT_FOUND');
  });
});
