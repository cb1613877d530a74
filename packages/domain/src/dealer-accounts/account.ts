import { type Either, right } from 'fp-ts/Either';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { add, formatMoney, type Money, subtract, sum, zero } from '../shared/money';
import type { DealerAccountCommand } from './commands';
import type { AccountAllocation, DealerAccountEvent } from './events';

/**
 * A dealer's receivables account (`account-<partnerId>`): the payments received from it, across its orders, and the
 * credit it holds, what no invoice took, until it is applied to invoices or refunded. One stream per dealer, so two
 * payments (or a payment and an application of credit) of one dealer are decided one after the other: each sees the
 * credit every earlier one left. That the same open amount of an invoice is never paid twice is held by the order
 * streams: every payment on an order is decided against the order as it stands, in the same unit (docs/receivables.md).
 */
export interface DealerAccountState {
  readonly partnerId: string | null;
  readonly currency: string | null;
  /** The dealer's unapplied credit; null before the first payment. */
  readonly credit: Money | null;
  /** Every payment, application and refund id the account has recorded. */
  readonly entryIds: ReadonlySet<string>;
  /** The allocations of every payment and application, by its id (what its orders are to record). */
  readonly allocations: ReadonlyMap<string, readonly AccountAllocation[]>;
  /** The shares given back to the credit because their order refused them: `returnedShareKey(entryId, orderId)`. */
  readonly returned: ReadonlySet<string>;
}

/** How a returned share is keyed: the payment's or application's id and the order's. */
export const returnedShareKey = (entryId: string, orderId: string): string => `${entryId}/${orderId}`;

export const dealerAccountStream = (partnerId: string): string => `account-${partnerId}`;

export const initialDealerAccountState: DealerAccountState = {
  partnerId: null,
  currency: null,
  credit: null,
  entryIds: new Set(),
  allocations: new Map(),
  returned: new Set(),
};

/** The dealer's credit, zero in `currency` before anything was received. */
export const accountCredit = (state: DealerAccountState, currency: string): Money => state.credit ?? zero(currency);

const entryIdOf = (event: Exclude<DealerAccountEvent, { type: 'DealerAllocationReturned' }>): string =>
  event.type === 'DealerPaymentReceived' ? event.data.paymentId : event.type === 'DealerCreditApplied' ? event.data.applicationId : event.data.refundId;

export const evolveDealerAccount = (state: DealerAccountState, event: DealerAccountEvent): DealerAccountState => {
  const common = { partnerId: event.data.partnerId, currency: event.data.credit.currency, credit: event.data.credit };
  switch (event.type) {
    case 'DealerAllocationReturned':
      return { ...state, ...common, returned: new Set(state.returned).add(returnedShareKey(event.data.entryId, event.data.orderId)) };
    case 'DealerPaymentReceived':
    case 'DealerCreditApplied':
      return {
        ...state,
        ...common,
        entryIds: new Set(state.entryIds).add(entryIdOf(event)),
        allocations: new Map(state.allocations).set(entryIdOf(event), event.data.allocations),
      };
    case 'DealerCreditRefunded':
      return { ...state, ...common, entryIds: new Set(state.entryIds).add(entryIdOf(event)) };
  }
};

/**
 * One order's share of an entry given back to the credit: refused when the account never recorded that entry or the entry
 * allocated nothing to that order; nothing to write when the share was returned already (exactly once).
 */
const decideReturn = (
  d: { partnerId: string; entryId: string; orderId: string; returnedAt: string; reason: string },
  state: DealerAccountState,
): Either<DomainError, readonly DealerAccountEvent[]> => {
  const allocations = state.allocations.get(d.entryId);
  if (!allocations || !state.credit)
    return refuse('ENTRY_NOT_FOUND', `Dealer ${d.partnerId}'s account has no payment or application ${d.entryId}.`, { entryId: d.entryId });
  const share = allocations.filter((a) => a.orderId === d.orderId);
  if (share.length === 0) return refuse('NOT_ALLOCATED', `${d.entryId} allocated nothing to order ${d.orderId}.`, { entryId: d.entryId, orderId: d.orderId });
  if (state.returned.has(returnedShareKey(d.entryId, d.orderId))) return right([]);
  const amount = sum(
    state.credit.currency,
    share.map((a) => a.amount),
  );
  return right([
    {
      type: 'DealerAllocationReturned',
      data: {
        partnerId: d.partnerId,
        entryId: d.entryId,
        orderId: d.orderId,
        returnedAt: d.returnedAt,
        amount,
        allocations: copy(share),
        reason: d.reason,
        credit: add(state.credit, amount),
      },
    },
  ]);
};

type Allocations = readonly { orderId: string; invoiceId: string; amount: Money; discount?: Money | undefined }[];

/** Refuses allocations in another currency or naming one invoice twice; otherwise their cash total. */
const checkAllocations = (allocations: Allocations, currency: string): Either<DomainError, Money> => {
  const seen = new Set<string>();
  for (const a of allocations) {
    if (a.amount.currency !== currency || (a.discount && a.discount.currency !== currency))
      return refuse('CURRENCY_MISMATCH', `Invoice ${a.invoiceId} is allocated in ${a.amount.currency}; the account is in ${currency}.`, {
        invoiceId: a.invoiceId,
        expected: currency,
      });
    if (seen.has(a.invoiceId)) return refuse('DUPLICATE_INVOICE', `Invoice ${a.invoiceId} is allocated twice; allocate it once.`, { invoiceId: a.invoiceId });
    seen.add(a.invoiceId);
  }
  return right(
    sum(
      currency,
      allocations.map((a) => a.amount),
    ),
  );
};

const copy = (allocations: Allocations): AccountAllocation[] =>
  allocations.map((a) => ({ orderId: a.orderId, invoiceId: a.invoiceId, amount: a.amount, ...(a.discount ? { discount: a.discount } : {}) }));

export const decideDealerAccount = (command: DealerAccountCommand, state: DealerAccountState): Either<DomainError, readonly DealerAccountEvent[]> => {
  if (command.type === 'ReturnDealerAllocation') return decideReturn(command.data, state);
  const { partnerId } = command.data;
  const amount = command.type === 'RecordDealerCreditApplication' ? command.data.allocations[0]!.amount : command.data.amount;
  const currency = state.currency ?? amount.currency;
  if (amount.currency !== currency)
    return refuse('CURRENCY_MISMATCH', `Dealer ${partnerId}'s account is kept in ${currency}, not ${amount.currency}.`, {
      expected: currency,
      found: amount.currency,
    });
  const credit = accountCredit(state, currency);
  switch (command.type) {
    case 'RecordDealerPayment': {
      const d = command.data;
      if (state.entryIds.has(d.paymentId))
        return refuse('DUPLICATE_PAYMENT', `Payment ${d.paymentId} is already recorded for dealer ${partnerId}.`, { paymentId: d.paymentId });
      const allocated = checkAllocations(d.allocations, currency);
      if (allocated._tag === 'Left') return allocated;
      if (allocated.right.amountMinor > d.amount.amountMinor)
        return refuse('OVER_ALLOCATION', `The allocations add up to ${formatMoney(allocated.right)}, more than the payment of ${formatMoney(d.amount)}.`, {
          allocatedMinor: allocated.right.amountMinor,
          paymentMinor: d.amount.amountMinor,
        });
      const unapplied = subtract(d.amount, allocated.right);
      return right([
        {
          type: 'DealerPaymentReceived',
          data: {
            partnerId,
            paymentId: d.paymentId,
            amount: d.amount,
            receivedAt: d.receivedAt,
            method: d.method,
            ...(d.reference ? { reference: d.reference } : {}),
            allocations: copy(d.allocations),
            unapplied,
            credit: add(credit, unapplied),
          },
        },
      ]);
    }
    case 'RecordDealerCreditApplication': {
      const d = command.data;
      if (state.entryIds.has(d.applicationId))
        return refuse('DUPLICATE_APPLICATION', `Credit application ${d.applicationId} is already recorded for dealer ${partnerId}.`, {
          applicationId: d.applicationId,
        });
      const allocated = checkAllocations(d.allocations, currency);
      if (allocated._tag === 'Left') return allocated;
      if (allocated.right.amountMinor > credit.amountMinor)
        return refuse('CREDIT_EXCEEDED', `${formatMoney(allocated.right)} is more than dealer ${partnerId}'s credit of ${formatMoney(credit)}.`, {
          creditMinor: credit.amountMinor,
          amountMinor: allocated.right.amountMinor,
        });
      return right([
        {
          type: 'DealerCreditApplied',
          data: {
            partnerId,
            applicationId: d.applicationId,
            appliedAt: d.appliedAt,
            amount: allocated.right,
            allocations: copy(d.allocations),
            credit: subtract(credit, allocated.right),
            ...(d.reason ? { reason: d.reason } : {}),
          },
        },
      ]);
    }
    case 'RefundDealerCredit': {
      const d = command.data;
      if (state.entryIds.has(d.refundId))
        return refuse('DUPLICATE_REFUND', `Refund ${d.refundId} is already recorded for dealer ${partnerId}.`, { refundId: d.refundId });
      if (d.amount.amountMinor > credit.amountMinor)
        return refuse('CREDIT_EXCEEDED', `${formatMoney(d.amount)} is more than dealer ${partnerId}'s credit of ${formatMoney(credit)}.`, {
          creditMinor: credit.amountMinor,
          amountMinor: d.amount.amountMinor,
        });
      return right([
        {
          type: 'DealerCreditRefunded',
          data: {
            partnerId,
            refundId: d.refundId,
            amount: d.amount,
            refundedAt: d.refundedAt,
            method: d.method,
            ...(d.reference ? { reference: d.reference } : {}),
            credit: subtract(credit, d.amount),
          },
        },
      ]);
    }
  }
};

export const dealerAccountDecider: Decider<DealerAccountCommand, DealerAccountEvent, DealerAccountState> = {
  initialState: initialDealerAccountState,
  decide: decideDealerAccount,
  evolve: evolveDealerAccount,
};
