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
