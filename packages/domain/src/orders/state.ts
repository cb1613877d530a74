import { add, type Money, zero } from '../shared/money';
import type { InvoiceTaxLine } from '../tax/tax';
import type { LinePromotion, LineQuantity } from './commands';
import type { OrderEvent, OrderLine } from './events';

/**
 * Order-level stock: which warehouse each line is to be served from (allocated), how much of that the warehouse has
 * reserved so far (the rest waits on a backorder there), and how much has shipped from it. The stock streams hold the
 * reservations themselves; the order keeps this much so that what must be consistent for one order is decided in its
 * own stream: a line is never allocated twice over, an order is confirmed once everything is reserved, and a shipment
 * never takes more from a warehouse than is reserved there for it.
 *
 * An order that was never allocated (no warehouse serves its region, or it predates stock tracking) ships as before.
 */
export interface StockAllocation {
  readonly lineNo: number;
  readonly sku: string;
  readonly warehouseId: string;
  readonly allocated: number;
  /** Reserved in the warehouse for this line so far, including what has since shipped. */
  readonly reserved: number;
  readonly shipped: number;
}

/** Where the order stands in its approval lifecycle. Fulfilment and billing progress are tracked apart (see `orderStatus`). */
export type Lifecycle = 'placed' | 'approved' | 'rejected' | 'confirmed' | 'cancelled';

export interface OrderLineState {
  readonly lineNo: number;
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly discountBps: number;
  readonly netAmount: Money;
  /** The promotions applied when the order was placed (`netAmount` is after them). */
  readonly promotions?: readonly LinePromotion[];
  /** The line's tax as placed (absent on untaxed lines). */
  readonly tax?: OrderLine['tax'];
  readonly shipped: number;
  readonly delivered: number;
  readonly returned: number;
  /** Credit issued for returns so far; reaches `netAmount` when the whole line is returned. */
  readonly credited: Money;
  /** Tax credited for returns so far; reaches the line's tax when the whole line is returned. */
  readonly taxCredited: Money;
  /** Invoiced per shipment so far: the quantity, and its net and tax (cumulative proportions of the line's). */
  readonly invoiced: number;
  readonly invoicedNet: Money;
  readonly invoicedTax: Money;
}

/** One invoice of the order: the whole order (`perOrder`) or one shipment, and what has been set against it. */
export interface InvoiceState {
  readonly invoiceId: string;
  readonly shipmentId?: string;
  readonly amount: Money;
  readonly invoicedAt: string;
  readonly dueDate: string;
  readonly instalments?: readonly { readonly dueOn: string; readonly amount: Money }[];
  readonly earlyPayment?: { readonly until: string; readonly discount: Money };
  /** Paid on it, and early-payment discount allowed on it. */
  readonly paid: Money;
  readonly discounted: Money;
  /** Credit notes against it (on an order invoiced once, the order's `credited` counts instead). */
  readonly credited: Money;
  /** Its taxed lines with the net and tax invoiced on it (absent on untaxed orders). */
  readonly taxLines?: readonly InvoiceTaxLine[];
}

export interface Shipment {
  readonly lines: readonly LineQuantity[];
  readonly delivered: boolean;
  /** Set once the shipment is invoiced on its own. */
  readonly invoiceId?: string;
}

export interface ExistingOrder {
  readonly exists: true;
  readonly orderId: string;
  readonly partnerId: string;
  readonly region: string;
  readonly tier: string;
  readonly currency: string;
  readonly placedAt: string;
  readonly lifecycle: Lifecycle;
  readonly lines: readonly OrderLineState[];
  /** The net total (sum of the lines' net amounts). */
  readonly total: Money;
  /** The tax total, absent on untaxed orders. */
  readonly tax?: Money;
  /** What the dealer is invoiced: net plus tax (the net on untaxed orders). */
  readonly gross: Money;
  readonly shipments: ReadonlyMap<string, Shipment>;
  /** The invoice of the whole order (`perOrder`), absent on orders invoiced per shipment. */
  readonly invoice?: { readonly invoiceId: string; readonly amount: Money; readonly dueDate: string };
  /** Every invoice of the order, by id, in the order issued: the `perOrder` invoice or one per shipment. */
  readonly invoices: ReadonlyMap<string, InvoiceState>;
  readonly paid: Money;
  /** Early-payment discounts allowed: they settle invoices as payments do, without cash. */
  readonly discounted: Money;
  /** Set when the region's early-payment discounts reduce the taxable amount (snapshotted when the order was placed). */
  readonly earlyPaymentDiscount?: 'reducesTaxableAmount';
  readonly credited: Money;
  readonly paymentIds: ReadonlySet<string>;
  readonly returnIds: ReadonlySet<string>;
  readonly creditNoteIds: ReadonlySet<string>;
  /** Set when automated review queued the order for a person, with every reason it could not be approved. */
  readonly review?: { readonly queuedAt: string; readonly reasons: readonly { readonly code: string; readonly message: string }[] };
  /** Set once stock is allocated to the order: per line and warehouse, allocated, reserved and shipped (see `stock.ts`). */
  readonly stock?: readonly StockAllocation[];
}

export type OrderState = { readonly exists: false } | ExistingOrder;

export const initialOrderState: OrderState = { exists: false };

const withLines = (state: ExistingOrder, changes: readonly LineQuantity[], apply: (line: OrderLineState, quantity: number) => OrderLineState) => {
  const byLine = new Map(changes.map((c) => [c.lineNo, c.quantity]));
  return state.lines.map((line) => {
    const quantity = byLine.get(line.lineNo);
    return quantity === undefined ? line : apply(line, quantity);
  });
};

// evolving the order-level stock (decided in stock.ts)

const evolveStockAllocated = (
  order: ExistingOrder,
  data: { allocations: readonly { lineNo: number; sku: string; warehouseId: string; quantity: number }[] },
) => {
  const stock = [...(order.stock ?? [])];
  for (const a of data.allocations) {
    const i = stock.findIndex((x) => x.lineNo === a.lineNo && x.warehouseId === a.warehouseId);
    if (i >= 0) stock[i] = { ...stock[i]!, allocated: stock[i]!.allocated + a.quantity };
    else stock.push({ lineNo: a.lineNo, sku: a.sku, warehouseId: a.warehouseId, allocated: a.quantity, reserved: 0, shipped: 0 });
  }
  return { ...order, stock };
};

const evolveStockReallocated = (
  order: ExistingOrder,
  data: { lineNo: number; sku: string; fromWarehouseId: string; toWarehouseId: string; quantity: number },
): ExistingOrder => {
  const moved = (order.stock ?? []).map((a) =>
    a.lineNo === data.lineNo && a.warehouseId === data.fromWarehouseId ? { ...a, allocated: a.allocated - data.quantity } : a,
  );
  return evolveStockAllocated(
    { ...order, stock: moved },
    { allocations: [{ lineNo: data.lineNo, sku: data.sku, warehouseId: data.toWarehouseId, quantity: data.quantity }] },
  );
};

export const evolveStockReserved = (order: ExistingOrder, data: { lineNo: number; warehouseId: string; quantity: number }): ExistingOrder => ({
  ...order,
  stock: (order.stock ?? []).map((a) => (a.lineNo === data.lineNo && a.warehouseId === data.warehouseId ? { ...a, reserved: a.reserved + data.quantity } : a)),
});

const evolveStockShipped = (order: ExistingOrder, warehouseId: string | undefined, lines: readonly LineQuantity[]): ExistingOrder['stock'] => {
  if (order.stock === undefined || warehouseId === undefined) return order.stock;
  const byLine = new Map(lines.map((l) => [l.lineNo, l.quantity]));
  return order.stock.map((a) => (a.warehouseId === warehouseId && byLine.has(a.lineNo) ? { ...a, shipped: a.shipped + byLine.get(a.lineNo)! } : a));
};

const newInvoice = (d: {
  invoiceId: string;
  amount: Money;
  invoicedAt: string;
  dueDate: string;
  instalments?: { dueOn: string; amount: Money }[] | undefined;
  earlyPayment?: { until: string; discount: Money } | undefined;
}): InvoiceState => ({
  invoiceId: d.invoiceId,
  amount: d.amount,
  invoicedAt: d.invoicedAt,
  dueDate: d.dueDate,
  ...(d.instalments ? { instalments: d.instalments } : {}),
  ...(d.earlyPayment ? { earlyPayment: d.earlyPayment } : {}),
  paid: zero(d.amount.currency),
  discounted: zero(d.amount.currency),
  credited: zero(d.amount.currency),
});

export const evolveOrder = (state: OrderState, event: OrderEvent): OrderState => {
  if (event.type === 'OrderPlaced') {
    const d = event.data;
    return {
      exists: true,
      orderId: d.orderId,
      partnerId: d.partnerId,
      region: d.region,
      tier: d.tier,
      currency: d.currency,
      placedAt: d.placedAt,
      lifecycle: 'placed',
      lines: d.lines.map((l) => ({
        ...l,
        shipped: 0,
        delivered: 0,
        returned: 0,
        credited: zero(d.currency),
        taxCredited: zero(d.currency),
        invoiced: 0,
        invoicedNet: zero(d.currency),
        invoicedTax: zero(d.currency),
      })),
      total: d.total,
      ...(d.tax ? { tax: d.tax } : {}),
      gross: d.gross ?? d.total,
      ...(d.earlyPaymentDiscount ? { earlyPaymentDiscount: d.earlyPaymentDiscount } : {}),
      shipments: new Map(),
      invoices: new Map(),
      paid: zero(d.currency),
      discounted: zero(d.currency),
      credited: zero(d.currency),
      paymentIds: new Set(),
      returnIds: new Set(),
      creditNoteIds: new Set(),
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'OrderApproved':
      return { ...state, lifecycle: 'approved' };
    case 'OrderRejected':
      return { ...state, lifecycle: 'rejected' };
    case 'OrderConfirmed':
      return { ...state, lifecycle: 'confirmed' };
    case 'OrderCancelled':
      return { ...state, lifecycle: 'cancelled' };
    case 'OrderShipped':
      return {
        ...state,
        lines: withLines(state, event.data.lines, (line, q) => ({ ...line, shipped: line.shipped + q })),
        shipments: new Map(state.shipments).set(event.data.shipmentId, { lines: event.data.lines, delivered: false }),
        ...(state.stock ? { stock: evolveStockShipped(state, event.data.warehouseId, event.data.lines) } : {}),
      };
    case 'ShipmentDelivered': {
      const shipment = state.shipments.get(event.data.shipmentId);
      if (!shipment) return state;
      return {
        ...state,
        lines: withLines(state, event.data.lines, (line, q) => ({ ...line, delivered: line.delivered + q })),
        shipments: new Map(state.shipments).set(event.data.shipmentId, { ...shipment, delivered: true }),
      };
    }
    case 'OrderInvoiced': {
      const taxLines = state.lines.flatMap((l) => (l.tax ? [{ lineNo: l.lineNo, net: l.netAmount, tax: l.tax.amount }] : []));
      return {
        ...state,
        invoice: { invoiceId: event.data.invoiceId, amount: event.data.amount, dueDate: event.data.dueDate },
        invoices: new Map(state.invoices).set(event.data.invoiceId, { ...newInvoice(event.data), ...(taxLines.length > 0 ? { taxLines } : {}) }),
      };
    }
    case 'ShipmentInvoiced': {
      const d = event.data;
      const byLine = new Map(d.lines.map((l) => [l.lineNo, l]));
      const shipment = state.shipments.get(d.shipmentId);
      return {
        ...state,
        lines: state.lines.map((line) => {
          const l = byLine.get(line.lineNo);
          return l
            ? {
                ...line,
                invoiced: line.invoiced + l.quantity,
                invoicedNet: add(line.invoicedNet, l.net),
                invoicedTax: l.tax ? add(line.invoicedTax, l.tax) : line.invoicedTax,
              }
            : line;
        }),
        ...(shipment ? { shipments: new Map(state.shipments).set(d.shipmentId, { ...shipment, invoiceId: d.invoiceId }) } : {}),
        invoices: new Map(state.invoices).set(d.invoiceId, {
          ...newInvoice(d),
          shipmentId: d.shipmentId,
          ...(d.tax ? { taxLines: d.lines.flatMap((l) => (l.tax ? [{ lineNo: l.lineNo, net: l.net, tax: l.tax }] : [])) } : {}),
        }),
      };
    }
    case 'PaymentRecorded': {
      const d = event.data;
      const invoices = new Map(state.invoices);
      let discounted = state.discounted;
      const allocations = d.allocations ?? (state.invoice ? [{ invoiceId: state.invoice.invoiceId, amount: d.amount }] : []);
      for (const a of allocations) {
        const invoice = invoices.get(a.invoiceId);
        if (invoice)
          invoices.set(a.invoiceId, {
            ...invoice,
            paid: add(invoice.paid, a.amount),
            ...('discount' in a && a.discount ? { discounted: add(invoice.discounted, a.discount) } : {}),
          });
        if ('discount' in a && a.discount) discounted = add(discounted, a.discount);
      }
      return { ...state, paid: add(state.paid, d.amount), discounted, invoices, paymentIds: new Set(state.paymentIds).add(d.paymentId) };
    }
    case 'OrderPaid':
      return state;
    case 'GoodsReturned': {
      const byLine = new Map(event.data.lines.map((l) => [l.lineNo, l]));
      return {
        ...state,
        lines: state.lines.map((line) => {
          const r = byLine.get(line.lineNo);
          return r
            ? {
                ...line,
                returned: line.returned + r.quantity,
                credited: add(line.credited, r.creditAmount),
                taxCredited: r.creditTax ? add(line.taxCredited, r.creditTax) : line.taxCredited,
              }
            : line;
        }),
        returnIds: new Set(state.returnIds).add(event.data.returnId),
      };
    }
    case 'CreditNoteIssued': {
      const against = event.data.invoiceId ? state.invoices.get(event.data.invoiceId) : undefined;
      return {
        ...state,
        credited: add(state.credited, event.data.amount),
        ...(against ? { invoices: new Map(state.invoices).set(against.invoiceId, { ...against, credited: add(against.credited, event.data.amount) }) } : {}),
        creditNoteIds: new Set(state.creditNoteIds).add(event.data.creditNoteId),
      };
    }
    case 'OrderQueuedForReview':
      return { ...state, review: { queuedAt: event.data.queuedAt, reasons: event.data.reasons } };
    case 'OrderStockAllocated':
      return evolveStockAllocated(state, event.data);
    case 'OrderStockReserved':
      return evolveStockReserved(state, event.data);
    case 'OrderStockReallocated':
      return evolveStockReallocated(state, event.data);
  }
};
