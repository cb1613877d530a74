import type { OrderEvent } from '../orders/events';
import type { Policy } from '../shared/policy';
import type { ApplyDealerCredit, CompleteDealerAllocation } from './commands';
import type { DealerAccountEvent } from './events';

/** The id of a credit application caused by an event: `ca-<eventId>` (event ids are uuids, so within 64 characters). */
export const creditApplicationId = (eventId: string): string => `ca-${eventId}`.slice(0, 64);

/**
 * A dealer's credit is applied as soon as there is something to apply it to, as an ERP offers the outstanding credit on
 * the next invoice: every invoice cut (a whole order's or a shipment's) offers the dealer's credit to its open invoices,
 * oldest due first. A dealer with no credit is left as it is, with nothing written.
 */
export const dealerCreditPolicy: Policy<OrderEvent, ApplyDealerCredit> = {
  name: 'dealer_credit',
  eventTypes: ['OrderInvoiced', 'ShipmentInvoiced'],
  react: (event) => {
    switch (event.type) {
      case 'OrderInvoiced':
      case 'ShipmentInvoiced':
        return [
          {
            type: 'ApplyDealerCredit',
            data: {
              orderId: event.data.orderId,
              applicationId: creditApplicationId(event.eventId),
              appliedAt: event.data.invoicedAt,
              reason: `invoice ${event.data.invoiceId} cut`,
              whenAvailable: true,
            },
          },
        ];
      default:
        return [];
    }
  },
};

/**
 * The process manager of the units a payment or an application of credit writes (docs/receivables.md, "Consistency"): on
 * EventStoreDB the account is written before the orders, so every payment and application the account records is
 * followed up, and an order that never recorded its share (the process stopped in between) records it now, or gives it
 * back to the dealer's credit when it refuses it. On PostgreSQL the unit is one transaction and this finds it complete.
 */
export const dealerAllocationPolicy: Policy<DealerAccountEvent, CompleteDealerAllocation> = {
  name: 'dealer_allocation',
  eventTypes: ['DealerPaymentReceived', 'DealerCreditApplied'],
  react: (event) => {
    switch (event.type) {
      case 'DealerPaymentReceived':
        return [{ type: 'CompleteDealerAllocation', data: { partnerId: event.data.partnerId, entryId: event.data.paymentId } }];
      case 'DealerCreditApplied':
        return [{ type: 'CompleteDealerAllocation', data: { partnerId: event.data.partnerId, entryId: event.data.applicationId } }];
      default:
        return [];
    }
  },
};
