import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';

/**
 * Intent, run by the command bus: invoices a delivered order as a whole, its due dates from the payment terms of the
 * agreement governing the order (the version in force when it was placed). Refused when that agreement invoices per
 * shipment or per delivery, or when no agreement governs the order (then the due date must be given).
 */
export const InvoiceOrderByTerms = z.strictObject({
  type: z.literal('InvoiceOrderByTerms'),
  data: z.strictObject({ orderId: Id, invoiceId: Id, invoicedAt: IsoDateTime }),
});
export type InvoiceOrderByTerms = z.infer<typeof InvoiceOrderByTerms>;

/**
 * Intent, run by the command bus: invoices one shipment of an order on the payment terms of the agreement governing it,
 * which must invoice per shipment (the shipment has left) or per delivery (it is delivered). A person sends it without
 * `on` to invoice a shipment by hand, and is refused when the terms say otherwise. The invoicing policy sends it with `on`
 * as a shipment leaves or is delivered: then a shipment the terms do not invoice at that moment (or at all), or one
 * already invoiced, is left as it is, and nothing is written.
 */
export const InvoiceShipmentByTerms = z.strictObject({
  type: z.literal('InvoiceShipmentByTerms'),
  data: z.strictObject({
    orderId: Id,
    shipmentId: Id,
    invoiceId: Id,
    invoicedAt: IsoDateTime,
    on: z.enum(['shipped', 'delivered']).optional(),
  }),
});
export type InvoiceShipmentByTerms = z.infer<typeof InvoiceShipmentByTerms>;
