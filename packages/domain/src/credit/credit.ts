import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import type { Decider, SnapshotCodec } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { add, formatMoney, Money, subtract, zero } from '../shared/money';
import type { CreditCommand } from './commands';
import type { CreditEvent } from './events';

/**
 * One dealer's credit exposure (`credit-<partnerId>`): what every open order holds, reserved when it is approved and
 * released as it is paid, credited, rejected or cancelled. One stream per dealer, so two orders can never both squeeze
 * under the limit: each reservation is decided against the exposure that includes every reservation before it.
 */
export interface CreditState {
  readonly currency: string | null;
  readonly exposure: Money | null;
  readonly reservations: ReadonlyMap<string, Money>;
}

export const creditStream = (partnerId: string): string => `credit-${partnerId}`;

export const initialCreditState: CreditState = { currency: null, exposure: null, reservations: new Map() };

export const exposureOf = (state: CreditState, currency: string): Money => state.exposure ?? zero(currency);

/**
 * An order that holds nothing any more (paid, rejected, cancelled) leaves the state: deciding treats an absent order as
 * holding zero, so the state stays as small as the dealer's open orders however long its history grows.
 */
export const evolveCredit = (state: CreditState, event: CreditEvent): CreditState => {
  const reservations = new Map(state.reservations);
  if (event.data.orderReserved.amountMinor === 0) reservations.delete(event.data.orderId);
  else reservations.set(event.data.orderId, event.data.orderReserved);
  return { currency: event.data.exposure.currency, exposure: event.data.exposure, reservations };
};

/**
 * The credit state as JSON, for snapshots (see `SnapshotCodec`). `CREDIT_SNAPSHOT_SCHEMA` names its shape and the
 * meaning of `evolveCredit`: change either and bump it, and every stored snapshot is ignored and rebuilt from the events.
 */
export const CREDIT_SNAPSHOT_SCHEMA = 'credit/2';

const CreditSnapshot = z.object({
  currency: z.string().nullable(),
  exposure: Money.nullable(),
  reservations: z.array(z.tuple([z.string(), Money])),
});

export const creditSnapshotCodec: SnapshotCodec<CreditState> = {
  schema: CREDIT_SNAPSHOT_SCHEMA,
  toJson: (state) => ({ currency: state.currency, exposure: state.exposure, reservations: [...state.reservations] }),
  fromJson: (json) => {
    const parsed = CreditSnapshot.safeParse(json);
    if (!parsed.success) return null;
    return { currency: parsed.data.currency, exposure: parsed.data.exposure, reservations: new Map(parsed.data.reservations) };
  },
};

export const decideCredit = (command: CreditCommand, state: CreditState): Either<DomainError, readonly CreditEvent[]> => {
  const { partnerId, orderId } = command.data;
  const amount = command.type === 'ReserveCredit' ? command.data.amount : command.data.remaining;
  const currency = state.currency ?? amount.currency;
  const foreign = [amount, ...(command.type === 'ReserveCredit' ? [command.data.limit] : [])].find((m) => m.currency !== currency);
  if (foreign) {
    return refuse('CURRENCY_MISMATCH', `Dealer ${partnerId}'s credit is kept in ${currency}, not ${foreign.currency}.`, {
      expected: currency,
      found: foreign.currency,
    });
  }
  const held = state.reservations.get(orderId) ?? zero(currency);
  const exposure = exposureOf(state, currency);
  if (command.type === 'ReleaseCredit') {
    if (amount.amountMinor >= held.amountMinor) return right([]);
    const released = subtract(held, amount);
    return right([
      {
        type: 'CreditReleased',
        data: {
          partnerId,
          orderId,
          amount: released,
          orderReserved: amount,
          exposure: subtract(exposure, released),
          reason: command.data.reason,
          releasedAt: command.data.releasedAt,
        },
      },
    ]);
  }
  if (amount.amountMinor <= held.amountMinor) return right([]);
  const increase = subtract(amount, held);
  const after = add(exposure, increase);
  const { limit } = command.data;
  const overLimit = after.amountMinor > limit.amountMinor;
  if (overLimit && !command.data.allowOverLimit) {
    return refuse(
      'CREDIT_LIMIT_EXCEEDED',
      `Order ${orderId} needs ${formatMoney(increase)} of credit; dealer ${partnerId} has ${formatMoney(exposure)} outstanding against a limit of ${formatMoney(limit)}, so ${formatMoney(subtract(limit, exposure).amountMinor > 0 ? subtract(limit, exposure) : zero(currency))} is available.`,
      { exposureMinor: exposure.amountMinor, limitMinor: limit.amountMinor, requestedMinor: increase.amountMinor, currency },
    );
  }
  return right([
    {
      type: 'CreditReserved',
      data: {
        partnerId,
        orderId,
        amount: increase,
        orderReserved: amount,
        exposure: after,
        limit,
        overLimit,
        reason: command.data.reason,
        reservedAt: command.data.reservedAt,
      },
    },
  ]);
};

export const creditDecider: Decider<CreditCommand, CreditEvent, CreditState> = {
  initialState: initialCreditState,
  decide: decideCredit,
  evolve: evolveCredit,
};
