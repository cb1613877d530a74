import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { Id, IsoDateTime } from '../shared/ids';
import { Sha256Hex } from './api-keys';

/**
 * A signed-in browser (`session-<sessionId>`): started at sign-in, ended at sign-out (or when the password changes).
 * The cookie carries the session id and a secret; only the secret's SHA-256 digest is recorded. Idle expiry is not an
 * event (it would be one per request): the API keeps the last activity beside the event log and ends idle sessions there.
 */

export const StartSession = z.strictObject({
  type: z.literal('StartSession'),
  data: z.strictObject({
    sessionId: Id,
    userId: Id,
    secretHash: Sha256Hex,
    startedAt: IsoDateTime,
    /** Absolute expiry: the session ends then whatever the activity. */
    expiresAt: IsoDateTime,
    /** Ends after this long without a request. */
    idleTimeoutSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600),
  }),
});

export const SessionEndReason = z.enum(['signed-out', 'password-changed', 'revoked']);

export const EndSession = z.strictObject({
  type: z.literal('EndSession'),
  data: z.strictObject({ sessionId: Id, reason: SessionEndReason, endedAt: IsoDateTime }),
});

export const SessionCommand = z.discriminatedUnion('type', [StartSession, EndSession]);
export type SessionCommand = z.infer<typeof SessionCommand>;

export const SessionStarted = z.object({
  type: z.literal('SessionStarted'),
  data: z.object({
    sessionId: Id,
    userId: Id,
    secretHash: Sha256Hex,
    startedAt: IsoDateTime,
    expiresAt: IsoDateTime,
    idleTimeoutSeconds: z.number().int(),
  }),
});
export const SessionEnded = z.object({
  type: z.literal('SessionEnded'),
  data: z.object({ sessionId: Id, reason: SessionEndReason, endedAt: IsoDateTime }),
});
export const SessionEvent = z.discriminatedUnion('type', [SessionStarted, SessionEnded]);
export type SessionEvent = z.infer<typeof SessionEvent>;

export type SessionState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly sessionId: string;
      readonly userId: string;
      readonly secretHash: string;
      readonly startedAt: string;
      readonly expiresAt: string;
      readonly idleTimeoutSeconds: number;
      readonly ended: boolean;
    };

export const sessionStream = (sessionId: string): string => `session-${sessionId}`;

export const evolveSession = (state: SessionState, event: SessionEvent): SessionState => {
  if (event.type === 'SessionStarted') return { exists: true, ...event.data, ended: false };
  return state.exists ? { ...state, ended: true } : state;
};

export const decideSession = (command: SessionCommand, state: SessionState): Either<DomainError, readonly SessionEvent[]> => {
  const { sessionId } = command.data;
  if (command.type === 'StartSession') {
    if (state.exists) return refuse('SESSION_ALREADY_EXISTS', `Session ${sessionId} already exists.`, { sessionId });
    if (command.data.expiresAt <= command.data.startedAt) return refuse('INVALID_EXPIRY', 'A session must expire after it starts.', { sessionId });
    return right([{ type: 'SessionStarted', data: command.data }]);
  }
  if (!state.exists) return refuse('SESSION_NOT_FOUND', `There is no session ${sessionId}.`, { sessionId });
  // Ending an ended session is what a second sign-out click does: nothing more to record.
  if (state.ended) return right([]);
  return right([{ type: 'SessionEnded', data: command.data }]);
};

export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  initialState: { exists: false },
  decide: decideSession,
  evolve: evolveSession,
};
