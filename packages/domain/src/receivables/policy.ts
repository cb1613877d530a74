import type { OrderEvent } from '../orders/events';
import type { Policy } from '../shared/policy';
import type { InvoiceShipmentByTerms } from './intents';

/**
 * The invoice id the invoicing policy gives a shipment's invoice: `inv-<shipmentId>`, or `inv-<eventId>` of the event
 * that caused it when the shipment id is too long for the prefix (ids are at most 64 characters).
 */
export const shipmentInvoiceId = (shipmentId: string, eventId: string): string =>
  shipmentId.length <= 60 ? `inv-${shipmentId}` : `inv-${eventId}`.slice(0, 64);

/**
 * Invoicing per shipment or per delivery is automatic, as an ERP's delivery note makes its sales invoice: every shipment
 * that leaves, and every one delivered, is offered to `InvoiceShipmentByTerms`, which invoices it when the order's
 * agreement invoices at that moment and leaves it otherwise. Dated when the shipment left or was delivered.
 */
export const shipmentInvoicingPolicy: Policy<OrderEvent, InvoiceShipmentByTerms> = {
  name: 'shipment_invoicing',
  eventTypes: ['OrderShipped', 'ShipmentDelivered'],
  react: (event) => {
    switch (event.type) {
      case 'OrderShipped':
      case 'ShipmentDelivered': {
        const { orderId, shipmentId } = event.data;
        const shipped = event.type === 'OrderShipped';
        return [
          {
            type: 'InvoiceShipmentByTerms',
            data: {
              orderId,
              shipmentId,
              invoiceId: shipmentInvoiceId(shipmentId, event.eventId),
              invoicedAt: shipped ? event.data.shippedAt : event.data.deliveredAt,
              on: shipped ? 'shipped' : 'delivered',
            },
          },
        ];
      }
      default:
        return [];
    }
  },
};
