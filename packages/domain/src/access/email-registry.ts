import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { Id, IsoDateTime } from '../shared/ids';
import { Email } from './users';

/**
 * Which user holds which e-mail address (`emailregistry-users`): the one stream where "one user per address" is decided,
 * so two admins inviting the same address at once cannot both succeed. Inviting claims the address here first; the
 * user's own stream is written second. A claim whose user stream was never written (a crash in between) is completed
 * by inviting the same address again, which finds it held by a user that does not exist yet and reuses that user id.
 * Sign-in reads it to find the user of an address without waiting for any projection.
 */
export const ClaimEmail = z.strictObject({
  type: z.literal('ClaimEmail'),
  data: z.strictObject({ email: Email, userId: Id, claimedAt: IsoDateTime }),
});

export const EmailRegistryCommand = z.discriminatedUnion('type', [ClaimEmail]);
export type EmailRegistryCommand = z.infer<typeof EmailRegistryCommand>;

export const EmailClaimed = z.object({
  type: z.literal('EmailClaimed'),
  data: z.object({ email: z.string(), userId: Id, claimedAt: IsoDateTime }),
});
export const EmailRegistryEvent = z.discriminatedUnion('type', [EmailClaimed]);
export type EmailRegistryEvent = z.infer<typeof EmailRegistryEvent>;

export interface EmailRegistryState {
  /** User id by lower-case address. */
  readonly holders: ReadonlyMap<string, string>;
}

export const EMAIL_REGISTRY_STREAM = 'emailregistry-users';

export const evolveEmailRegistry = (state: EmailRegistryState, event: EmailRegistryEvent): EmailRegistryState => {
  const holders = new Map(state.holders);
  holders.set(event.data.email, event.data.userId);
  return { holders };
};

export const decideEmailRegistry = (command: EmailRegistryCommand, state: EmailRegistryState): Either<DomainError, readonly EmailRegistryEvent[]> => {
  const { email, userId } = command.data;
  const holder = state.holders.get(email);
  if (holder === userId) return right([]);
  if (holder !== undefined) return refuse('EMAIL_TAKEN', `${email} already belongs to user ${holder}.`, { email, userId: holder });
  return right([{ type: 'EmailClaimed', data: command.data }]);
};

export const emailRegistryDecider: Decider<EmailRegistryCommand, EmailRegistryEvent, EmailRegistryState> = {
  initialState: { holders: new Map() },
  decide: decideEmailRegistry,
  evolve: evolveEmailRegistry,
};
