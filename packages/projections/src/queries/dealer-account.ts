import { type AccountAllocation, aggregates, type DealerAccountEvent, dealerAccountStream, type Money } from '@dms/domain';
import { type EventStore, loadAggregate } from '@dms/eventstore';

/**
 * One line of a dealer's account: a payment received, credit applied, credit refunded, or an order's share of a payment or
 * application returned to the credit because the order refused it (`return`: its id is the payment's or application's).
 */
export interface DealerAccountEntry {
  readonly kind: 'payment' | 'application' | 'refund' | 'return';
  /** The payment's, application's or refund's id (a payment's and an application's id is also the payment's on each order it pays). */
  readonly id: string;
  readonly at: string;
  /** Received (payment), applied (application), paid back (refund) or given back to the credit (return). */
  readonly amount: Money;
  /** What the invoices took of it: each invoice with its order, cash and discount allowed. */
  readonly allocations: AccountAllocation[];
  /** What no invoice took of a payment: added to the credit. Zero for the other kinds. */
  readonly unapplied: Money;
  /** The dealer's credit after this entry. */
  readonly creditAfter: Money;
  readonly method?: string;
  readonly reference?: string;
  readonly reason?: string;
}

export interface DealerAccountView {
  readonly partnerId: string;
  /** The dealer's unapplied credit now; null when nothing was ever received through the account. */
  readonly credit: Money | null;
  /** Oldest first. */
  readonly entries: DealerAccountEntry[];
}

const entryOf = (event: DealerAccountEvent): DealerAccountEntry => {
  const zero = { amountMinor: 0, currency: event.data.credit.currency };
  switch (event.type) {
    case 'DealerPaymentReceived': {
      const d = event.data;
      return {
        kind: 'payment',
        id: d.paymentId,
        at: d.receivedAt,
        amount: d.amount,
        allocations: d.allocations,
        unapplied: d.unapplied,
        creditAfter: d.credit,
        method: d.method,
        ...(d.reference ? { reference: d.reference } : {}),
      };
    }
    case 'DealerCreditApplied': {
      const d = event.data;
      return {
        kind: 'application',
        id: d.applicationId,
        at: d.appliedAt,
        amount: d.amount,
        allocations: d.allocations,
        unapplied: zero,
        creditAfter: d.credit,
        ...(d.reason ? { reason: d.reason } : {}),
      };
    }
    case 'DealerCreditRefunded': {
      const d = event.data;
      return {
        kind: 'refund',
        id: d.refundId,
        at: d.refundedAt,
        amount: d.amount,
        allocations: [],
        unapplied: zero,
        creditAfter: d.credit,
        method: d.method,
        ...(d.reference ? { reference: d.reference } : {}),
      };
    }
    case 'DealerAllocationReturned': {
      const d = event.data;
      return {
        kind: 'return',
        id: d.entryId,
        at: d.returnedAt,
        amount: d.amount,
        allocations: d.allocations,
        unapplied: zero,
        creditAfter: d.credit,
        reason: d.reason,
      };
    }
  }
};

/**
 * A dealer's receivables account (docs/receivables.md): every payment received from it across its orders, each credit
 * application and refund, and the credit it holds now. Read from the dealer's own `account-<partnerId>` stream, which is
 * as current as the last payment (no projection lag), and small: one event per payment, application, refund or share returned.
 */
export const dealerAccount = async (store: EventStore, partnerId: string): Promise<DealerAccountView> => {
  const loaded = await loadAggregate(store, aggregates.dealerAccounts, dealerAccountStream(partnerId));
  return {
    partnerId,
    credit: loaded.state.credit,
    entries: loaded.events.map((e) => entryOf({ type: e.type, data: e.data } as DealerAccountEvent)),
  };
};
