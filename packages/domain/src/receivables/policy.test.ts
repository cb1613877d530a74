import { describe, expect, it } from 'vitest';
import { shipmentInvoiceId, shipmentInvoicingPolicy } from './policy';

/** The invoicing policy offers every shipment that leaves or is delivered to `InvoiceShipmentByTerms` (docs/receivables.md). */
describe('shipment invoicing policy', () => {
  const at = { streamId: 'order-o-1', streamVersion: 4, eventId: '0b6f4c3e-7f0c-5d7a-9d1e-2f4a1c9b8e77' };

  it('offers a shipment as it leaves, dated when it left, under an id made from the shipment', () => {
    const commands = shipmentInvoicingPolicy.react({
      ...at,
      type: 'OrderShipped',
      data: { orderId: 'o-1', shipmentId: 's-1', lines: [{ lineNo: 1, quantity: 2 }], shippedAt: '2026-03-02T10:00:00Z', fullyShipped: false },
    });
    expect(commands).toEqual([
      { type: 'InvoiceShipmentByTerms', data: { orderId: 'o-1', shipmentId: 's-1', invoiceId: 'inv-s-1', invoicedAt: '2026-03-02T10:00:00Z', on: 'shipped' } },
    ]);
  });

  it('offers it again once delivered, dated when it was delivered', () => {
    const commands = shipmentInvoicingPolicy.react({
      ...at,
      type: 'ShipmentDelivered',
      data: { orderId: 'o-1', shipmentId: 's-1', lines: [{ lineNo: 1, quantity: 2 }], deliveredAt: '2026-03-04T08:00:00Z', fullyDelivered: false },
    });
    expect(commands).toEqual([
      {
        type: 'InvoiceShipmentByTerms',
        data: { orderId: 'o-1', shipmentId: 's-1', invoiceId: 'inv-s-1', invoicedAt: '2026-03-04T08:00:00Z', on: 'delivered' },
      },
    ]);
  });

  it('names the invoice after the event when the shipment id leaves no room for the prefix', () => {
    expect(shipmentInvoiceId('s'.repeat(60), at.eventId)).toBe(`inv-${'s'.repeat(60)}`);
    expect(shipmentInvoiceId('s'.repeat(61), at.eventId)).toBe(`inv-${at.eventId}`);
  });

  it('ignores every other event of the order', () => {
    expect(shipmentInvoicingPolicy.react({ ...at, type: 'OrderConfirmed', data: { orderId: 'o-1', confirmedAt: '2026-03-01T10:00:00Z' } })).toEqual([]);
  });
});
