import type { OrderEvent } from '../orders/events';
import type { Policy } from '../shared/policy';
import type { RecordOrderRevenue } from './commands';

/**
 * Every invoice (the whole order's or one shipment's), payment and credit note of an order may change what it has earned:
 * each is split between the parties.
 */
export const revenueSplitPolicy: Policy<OrderEvent, RecordOrderRevenue> = {
  name: 'revenue_split',
  eventTypes: ['OrderInvoiced', 'ShipmentInvoiced', 'PaymentRecorded', 'CreditNoteIssued'],
  react: (event) => {
    switch (event.type) {
      case 'OrderInvoiced':
      case 'ShipmentInvoiced':
        return [{ type: 'RecordOrderRevenue', data: { orderId: event.data.orderId, source: { kind: 'invoice', id: event.data.invoiceId } } }];
      case 'PaymentRecorded':
        return [{ type: 'RecordOrderRevenue', data: { orderId: event.data.orderId, source: { kind: 'payment', id: event.data.paymentId } } }];
      case 'CreditNoteIssued':
        return [{ type: 'RecordOrderRevenue', data: { orderId: event.data.orderId, source: { kind: 'credit_note', id: event.data.creditNoteId } } }];
      default:
        return [];
    }
  },
};
