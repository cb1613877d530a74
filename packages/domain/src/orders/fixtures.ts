/**
 * Builders for order commands and events in tests. Test support only; not exported from `index.ts`.
 *
 * Line quantities are written as `{ lineNo: quantity }`, e.g. `ship('s1', { 1: 3, 2: 1 })` ships 3 of line 1 and 1 of line 2.
 */
import { lineNet, type Money, money, sum } from '../shared/money';
import type { LineQuantity, OrderCommand, PricedLine } from './commands';
import type { OrderEvent } from './events';

export const orderId = 'o-1';
export const at = '2025-03-01T09:00:00Z';
export const eur = (amountMinor: number): Money => money(amountMinor, 'EUR');

type Quantities = Readonly<Record<number, number>>;
const lineQuantities = (quantities: Quantities): LineQuantity[] =>
  Object.entries(quantities).map(([lineNo, quantity]) => ({ lineNo: Number(lineNo), quantity }));

export const pricedLine = (lineNo: number, sku: string, quantity: number, unitPriceMinor: number, discountBps = 0): PricedLine => ({
  lineNo,
  sku,
  quantity,
  unitPrice: eur(unitPriceMinor),
  discountBps,
});

/**
 * The order most tests use. Line 1: 3 x pump-a at 12.34 less 10 % = 33.32 (33.318 rounded once, on the line total).
 * Line 2: 2 x valve-b at 5.00 = 10.00. Total 43.32.
 */
export const standardLines: readonly PricedLine[] = [pricedLine(1, 'pump-a', 3, 12_34, 1_000), pricedLine(2, 'valve-b', 2, 5_00)];
export const standardTotal = 43_32;
export const everything: Quantities = { 1: 3, 2: 2 };

// Commands

export const place = (lines: readonly PricedLine[] = standardLines): OrderCommand => ({
  type: 'PlaceOrder',
  data: { orderId, partnerId: 'acme', region: 'north', tier: 'gold', currency: 'EUR', lines: [...lines], placedAt: at },
});
export const approve = (): OrderCommand => ({ type: 'ApproveOrder', data: { orderId, approvedAt: at } });
export const reject = (reason = 'credit limit exceeded'): OrderCommand => ({ type: 'RejectOrder', data: { orderId, reason, rejectedAt: at } });
export const confirm = (): OrderCommand => ({ type: 'ConfirmOrder', data: { orderId, confirmedAt: at } });
export const cancel = (reason = 'dealer changed their mind'): OrderCommand => ({ type: 'CancelOrder', data: { orderId, reason, cancelledAt: at } });
export const ship = (shipmentId: string, quantities: Quantities): OrderCommand => ({
  type: 'ShipOrder',
  data: { orderId, shipmentId, lines: lineQuantities(quantities), shippedAt: at },
});
export const deliver = (shipmentId: string): OrderCommand => ({ type: 'DeliverShipment', data: { orderId, shipmentId, deliveredAt: at } });
export const invoice = (invoiceId = 'inv-1', dueDate = '2025-03-31'): OrderCommand => ({
  type: 'InvoiceOrder',
  data: { orderId, invoiceId, invoicedAt: at, dueDate },
});
export const pay = (paymentId: string, amount: number | Money): OrderCommand => ({
  type: 'RecordPayment',
  data: { orderId, paymentId, amount: typeof amount === 'number' ? eur(amount) : amount, paidAt: at, method: 'bank_transfer' },
});
export const returnGoods = (returnId: string, creditNoteId: string, quantities: Quantities): OrderCommand => ({
  type: 'ReturnGoods',
  data: { orderId, returnId, creditNoteId, lines: lineQuantities(quantities), reason: 'damaged in transit', returnedAt: at },
});

// Events

export const placed = (lines: readonly PricedLine[] = standardLines): OrderEvent => {
  const priced = lines.map(({ tax: _untaxed, ...l }) => ({ ...l, netAmount: lineNet(l.unitPrice, l.quantity, l.discountBps) }));
  const total = sum(
    'EUR',
    priced.map((l) => l.netAmount),
  );
  return { type: 'OrderPlaced', data: { orderId, partnerId: 'acme', region: 'north', tier: 'gold', currency: 'EUR', lines: priced, total, placedAt: at } };
};
export const approved = (): OrderEvent => ({ type: 'OrderApproved', data: { orderId, approvedAt: at } });
export const rejected = (reason = 'credit limit exceeded'): OrderEvent => ({ type: 'OrderRejected', data: { orderId, reason, rejectedAt: at } });
export const confirmed = (): OrderEvent => ({ type: 'OrderConfirmed', data: { orderId, confirmedAt: at } });
export const cancelled = (reason = 'dealer changed their mind'): OrderEvent => ({ type: 'OrderCancelled', data: { orderId, reason, cancelledAt: at } });
export const shipped = (shipmentId: string, quantities: Quantities, { fullyShipped }: { fullyShipped: boolean }): OrderEvent => ({
  type: 'OrderShipped',
  data: { orderId, shipmentId, lines: lineQuantities(quantities), shippedAt: at, fullyShipped },
});
export const delivered = (shipmentId: string, quantities: Quantities, { fullyDelivered }: { fullyDelivered: boolean }): OrderEvent => ({
  type: 'ShipmentDelivered',
  data: { orderId, shipmentId, lines: lineQuantities(quantities), deliveredAt: at, fullyDelivered },
});
export const invoiced = (amountMinor = standardTotal, invoiceId = 'inv-1', dueDate = '2025-03-31'): OrderEvent => ({
  type: 'OrderInvoiced',
  data: { orderId, invoiceId, amount: eur(amountMinor), invoicedAt: at, dueDate },
});
export const paymentRecorded = (paymentId: string, amountMinor: number, { outstanding }: { outstanding: number }): OrderEvent => ({
  type: 'PaymentRecorded',
  data: { orderId, paymentId, amount: eur(amountMinor), paidAt: at, method: 'bank_transfer', outstanding: eur(outstanding) },
});
export const orderPaid = (totalPaidMinor: number): OrderEvent => ({ type: 'OrderPaid', data: { orderId, paidAt: at, totalPaid: eur(totalPaidMinor) } });

/** A return of standard lines: `{ lineNo: [quantity, credit in minor units] }`. */
export const goodsReturned = (returnId: string, credits: Readonly<Record<number, readonly [quantity: number, creditMinor: number]>>): OrderEvent => ({
  type: 'GoodsReturned',
  data: {
    orderId,
    returnId,
    lines: Object.entries(credits).map(([lineNo, [quantity, creditMinor]]) => ({
      lineNo: Number(lineNo),
      sku: standardLines.find((l) => l.lineNo === Number(lineNo))?.sku ?? 'unknown',
      quantity,
      creditAmount: eur(creditMinor),
    })),
    reason: 'damaged in transit',
    restock: true,
    returnedAt: at,
  },
});
export const creditNoteIssued = (creditNoteId: string, returnId: string, amountMinor: number): OrderEvent => ({
  type: 'CreditNoteIssued',
  data: { orderId, creditNoteId, returnId, amount: eur(amountMinor), issuedAt: at },
});

// Histories

export const confirmedOrder = (): OrderEvent[] => [placed(), approved(), confirmed()];
export const deliveredOrder = (): OrderEvent[] => [
  ...confirmedOrder(),
  shipped('s1', everything, { fullyShipped: true }),
  delivered('s1', everything, { fullyDelivered: true }),
];
export const invoicedOrder = (): OrderEvent[] => [...deliveredOrder(), invoiced()];
