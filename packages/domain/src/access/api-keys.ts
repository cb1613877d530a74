import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { Id, IsoDateTime, Role } from '../shared/ids';
import { NonEmptyText, Text } from '../shared/text';

/**
 * API keys as an aggregate (`apikey-<keyId>`): who may call the API, in which role, bound to which partner. Only a hash
 * of the secret is ever recorded; the secret itself is shown once, to whoever created the key.
 */
/** A hex SHA-256 digest: how access streams record secrets (of keys, links, sessions), never the secrets themselves. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256 digest');

export const IssueApiKey = z.strictObject({
  type: z.literal('IssueApiKey'),
  data: z.strictObject({
    keyId: Id,
    name: NonEmptyText(120),
    role: Role.exclude(['system']),
    partnerId: Id.optional(),
    secretHash: Sha256Hex,
    issuedAt: IsoDateTime,
  }),
});

export const RevokeApiKey = z.strictObject({
  type: z.literal('RevokeApiKey'),
  data: z.strictObject({ keyId: Id, reason: Text(500).optional(), revokedAt: IsoDateTime }),
});

export const ApiKeyCommand = z.discriminatedUnion('type', [IssueApiKey, RevokeApiKey]);
export type ApiKeyCommand = z.infer<typeof ApiKeyCommand>;

export const ApiKeyIssued = z.object({
  type: z.literal('ApiKeyIssued'),
  data: z.object({ keyId: Id, name: z.string(), role: Role, partnerId: Id.optional(), secretHash: Sha256Hex, issuedAt: IsoDateTime }),
});
export const ApiKeyRevoked = z.object({
  type: z.literal('ApiKeyRevoked'),
  data: z.object({ keyId: Id, reason: z.string().optional(), revokedAt: IsoDateTime }),
});
export const ApiKeyEvent = z.discriminatedUnion('type', [ApiKeyIssued, ApiKeyRevoked]);
export type ApiKeyEvent = z.infer<typeof ApiKeyEvent>;

/** What authentication needs to decide on a key, straight from its own stream (no projection lag). */
export type ApiKeyState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly keyId: string;
      readonly name: string;
      readonly role: Role;
      readonly partnerId?: string | undefined;
      readonly secretHash: string;
      readonly revoked: boolean;
    };

export const apiKeyStream = (keyId: string): string => `apikey-${keyId}`;

export const evolveApiKey = (state: ApiKeyState, event: ApiKeyEvent): ApiKeyState => {
  switch (event.type) {
    case 'ApiKeyIssued':
      return {
        exists: true,
        keyId: event.data.keyId,
        name: event.data.name,
        role: event.data.role,
        partnerId: event.data.partnerId,
        secretHash: event.data.secretHash,
        revoked: false,
      };
    case 'ApiKeyRevoked':
      return state.exists ? { ...state, revoked: true } : state;
  }
};

export const decideApiKey = (command: ApiKeyCommand, state: ApiKeyState): Either<DomainError, readonly ApiKeyEvent[]> => {
  const { keyId } = command.data;
  if (command.type === 'IssueApiKey') {
    if (state.exists) return refuse('API_KEY_ALREADY_EXISTS', `API key ${keyId} already exists.`, { keyId });
    const { role, partnerId } = command.data;
    if (role === 'dealer' && !partnerId) return refuse('DEALER_KEY_NEEDS_PARTNER', 'A dealer key must be bound to the partner it acts for.', { keyId });
    if (role !== 'dealer' && partnerId)
      return refuse('STAFF_KEY_WITH_PARTNER', `A ${role} key acts for the manufacturer and cannot be bound to a partner.`, { keyId, role });
    return right([{ type: 'ApiKeyIssued', data: command.data }]);
  }
  if (!state.exists) return refuse('API_KEY_NOT_FOUND', `There is no API key ${keyId}.`, { keyId });
  if (state.revoked) return refuse('API_KEY_ALREADY_REVOKED', `API key ${keyId} is already revoked.`, { keyId });
  return right([{ type: 'ApiKeyRevoked', data: command.data }]);
};

export const apiKeyDecider: Decider<ApiKeyCommand, ApiKeyEvent, ApiKeyState> = {
  initialState: { exists: false },
  decide: decideApiKey,
  evolve: evolveApiKey,
};
