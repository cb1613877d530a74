import { type Either, right } from 'fp-ts/Either';
import { allocatePayment, invoiceSchedule, type PaymentAllocation, type PaymentTerms } from '../receivables/payment-terms';
import { dateOf } from '../shared/calendar';
import { type DomainError, refuse } from '../shared/errors';
import { add, formatMoney, lineNet, type Money, proportion, subtract, sum, trySum, zero } from '../shared/money';
import { discountTaxShares, taxLine } from '../tax/tax';
import type { LineQuantity, OrderCommand } from './commands';
import type { OrderEvent, OrderLine } from './events';
import type { ExistingOrder, OrderLineState, OrderState } from './state';
import { fullyInvoiced, outstanding, payableInvoices } from './status';
import { allocateStock, reallocateStock, recordStockReservation, shipmentWarehouse } from './stock';

type Decision = Either<DomainError, readonly OrderEvent[]>;
type Of<T extends OrderCommand['type']> = Extract<OrderCommand, { type: T }>['data'];

const placeOrder = (data: Of<'PlaceOrder'>): Decision => {
  const { orderId, currency } = data;
  const seenLineNos = new Set<number>();
  const seenSkus = new Set<string>();
  const lines: OrderLine[] = [];
  for (const line of data.lines) {
    if (seenLineNos.has(line.lineNo)) return refuse('DUPLICATE_LINE', `Line ${line.lineNo} appears twice in order ${orderId}.`, { lineNo: line.lineNo });
    if (seenSkus.has(line.sku))
      return refuse('DUPLICATE_SKU', `SKU ${line.sku} appears on two lines of order ${orderId}; put its quantity on one line.`, { sku: line.sku });
    if (line.unitPrice.currency !== currency) {
      return refuse('CURRENCY_MISMATCH', `Line ${line.lineNo} is priced in ${line.unitPrice.currency} but the order is in ${currency}.`, {
        lineNo: line.lineNo,
      });
    }
    seenLineNos.add(line.lineNo);
    seenSkus.add(line.sku);
    try {
      const before = lineNet(line.unitPrice, line.quantity, line.discountBps);
      const promotions = line.promotions ?? [];
      const kinds = promotions.map((p) => p.kind);
      if (new Set(kinds).size !== kinds.length)
        return refuse('PROMOTIONS_COMBINED', `Line ${line.lineNo} has two ${kinds[0]} promotions; a line takes at most one of each kind.`, {
          lineNo: line.lineNo,
        });
      const foreign = promotions.find((p) => p.discount.currency !== currency);
      if (foreign)
        return refuse('CURRENCY_MISMATCH', `Line ${line.lineNo}: promotion ${foreign.promotionId} is in ${foreign.discount.currency}, not ${currency}.`, {
          lineNo: line.lineNo,
        });
      const off = sum(
        currency,
        promotions.map((p) => p.discount),
      );
      if (off.amountMinor > before.amountMinor)
        return refuse('PROMOTION_EXCEEDS_LINE', `Line ${line.lineNo}: promotions take ${formatMoney(off)} off ${formatMoney(before)}.`, {
          lineNo: line.lineNo,
        });
      const amount = subtract(before, off);
      const { tax: basis, ...priced } = line;
      if (!basis) {
        lines.push({ ...priced, netAmount: amount });
        continue;
      }
      const taxed = taxLine(amount, basis.rateBps, basis.pricesInclude);
      lines.push({ ...priced, netAmount: taxed.net, tax: { ...basis, amount: taxed.tax, gross: taxed.gross } });
    } catch (error) {
      return refuse('AMOUNT_TOO_LARGE', `Line ${line.lineNo}: ${(error as Error).message}.`, { lineNo: line.lineNo });
    }
  }
  const total = trySum(
    currency,
    lines.map((l) => l.netAmount),
  );
  if (total._tag === 'Left') return total;
  if (!lines.some((l) => l.tax)) return right([{ type: 'OrderPlaced', data: { ...data, lines, total: total.right } }]);
  const tax = trySum(
    currency,
    lines.map((l) => l.tax?.amount ?? zero(currency)),
  );
  if (tax._tag === 'Left') return tax;
  const gross = trySum(currency, [total.right, tax.right]);
  if (gross._tag === 'Left') return gross;
  return right([{ type: 'OrderPlaced', data: { ...data, lines, total: total.right, tax: tax.right, gross: gross.right } }]);
};

/**
 * Finds each requested line, or names the first one that is not on the order. A line listed twice is refused here too, not only
 * by the command schema: each entry is checked against the same state, so two entries could together over-ship or over-credit.
 */
const lookUpLines = (order: ExistingOrder, requested: readonly LineQuantity[]): Either<DomainError, Array<[OrderLineState, number]>> => {
  const found: Array<[OrderLineState, number]> = [];
  for (const r of requested) {
    const line = order.lines.find((l) => l.lineNo === r.lineNo);
    if (!line) return refuse('UNKNOWN_LINE', `Order ${order.orderId} has no line ${r.lineNo}.`, { orderId: order.orderId, lineNo: r.lineNo });
    if (found.some(([l]) => l === line))
      return refuse('DUPLICATE_LINE', `Line ${r.lineNo} is listed twice; put its whole quantity on one entry.`, { lineNo: r.lineNo });
    found.push([line, r.quantity]);
  }
  return right(found);
};

const requireLifecycle = (order: ExistingOrder, allowed: readonly ExistingOrder['lifecycle'][], action: string): DomainError | undefined =>
  allowed.includes(order.lifecycle)
    ? undefined
    : {
        code: 'INVALID_ORDER_TRANSITION',
        message: `Order ${order.orderId} is ${order.lifecycle}; it can be ${action} only when ${allowed.join(' or ')}.`,
        details: { orderId: order.orderId, lifecycle: order.lifecycle, allowed },
      };

const shipOrder = (order: ExistingOrder, data: Of<'ShipOrder'>): Decision => {
  const wrong = requireLifecycle(order, ['confirmed'], 'shipped');
  if (wrong) return refuse(wrong.code, wrong.message, wrong.details);
  if (order.shipments.has(data.shipmentId))
    return refuse('DUPLICATE_SHIPMENT', `Shipment ${data.shipmentId} is already recorded on order ${order.orderId}.`, { shipmentId: data.shipmentId });
  const lines = lookUpLines(order, data.lines);
  if (lines._tag === 'Left') return lines;
  for (const [line, q] of lines.right) {
    if (line.shipped + q > line.quantity) {
      return refuse('OVER_SHIPMENT', `Line ${line.lineNo} (${line.sku}): ${q} more would ship ${line.shipped + q} of ${line.quantity} ordered.`, {
        lineNo: line.lineNo,
        ordered: line.quantity,
        alreadyShipped: line.shipped,
        requested: q,
      });
    }
  }
  const from = shipmentWarehouse(order, data.warehouseId, data.lines);
  if (from._tag === 'Left') return from;
  const shippedNow = new Map(data.lines.map((l) => [l.lineNo, l.quantity]));
  const fullyShipped = order.lines.every((l) => l.shipped + (shippedNow.get(l.lineNo) ?? 0) === l.quantity);
  return right([{ type: 'OrderShipped', data: { ...data, ...(from.right ? { warehouseId: from.right } : {}), fullyShipped } }]);
};

const deliverShipment = (order: ExistingOrder, data: Of<'DeliverShipment'>): Decision => {
  const shipment = order.shipments.get(data.shipmentId);
  if (!shipment) return refuse('SHIPMENT_NOT_FOUND', `Order ${order.orderId} has no shipment ${data.shipmentId}.`, { shipmentId: data.shipmentId });
  if (shipment.delivered)
    return refuse('SHIPMENT_ALREADY_DELIVERED', `Shipment ${data.shipmentId} of order ${order.orderId} is already delivered.`, { shipmentId: data.shipmentId });
  const deliveredNow = new Map(shipment.lines.map((l) => [l.lineNo, l.quantity]));
  const fullyDelivered = order.lines.every((l) => l.delivered + (deliveredNow.get(l.lineNo) ?? 0) === l.quantity);
  return right([{ type: 'ShipmentDelivered', data: { ...data, lines: [...shipment.lines], fullyDelivered } }]);
};

/** The due dates an invoice of `amount` gets from the terms: what the invoice events record. */
const termsOf = (terms: PaymentTerms, invoicedAt: string, amount: Money) => {
  const schedule = invoiceSchedule(terms, dateOf(invoicedAt), amount);
  return {
    dueDate: schedule.dueOn,
    ...(terms.instalments ? { instalments: schedule.instalments.map((i) => ({ ...i })) } : {}),
    ...(schedule.earlyPayment ? { earlyPayment: { until: schedule.earlyPayment.until, discount: schedule.earlyPayment.discount } } : {}),
  };
};

const invoiceOrder = (order: ExistingOrder, data: Of<'InvoiceOrder'>): Decision => {
  if (order.invoice)
    return refuse('ALREADY_INVOICED', `Order ${order.orderId} is already invoiced (${order.invoice.invoiceId}).`, { invoiceId: order.invoice.invoiceId });
  if (order.invoices.size > 0)
    return refuse(
      'INVOICED_PER_SHIPMENT',
      `Order ${order.orderId} is invoiced per shipment (${[...order.invoices.keys()].join(', ')}); invoice its shipments.`,
      {
        invoiceIds: [...order.invoices.keys()],
      },
    );
  const undelivered = order.lines.filter((l) => l.delivered < l.quantity);
  if (order.lifecycle !== 'confirmed' || undelivered.length > 0) {
    return refuse('NOT_DELIVERED', `Order ${order.orderId} can be invoiced only once every line is delivered.`, {
      orderId: order.orderId,
      undeliveredLines: undelivered.map((l) => l.lineNo),
    });
  }
  const { paymentTerms, dueDate, ...rest } = data;
  if (dueDate !== undefined && dueDate < dateOf(data.invoicedAt))
    return refuse('DUE_BEFORE_INVOICE', `The due date ${dueDate} is before the invoice date.`, { dueDate });
  const parts = order.tax ? { net: order.total, tax: order.tax } : {};
  const due = paymentTerms ? termsOf(paymentTerms, data.invoicedAt, order.gross) : { dueDate: dueDate! };
  return right([{ type: 'OrderInvoiced', data: { ...rest, amount: order.gross, ...parts, ...due } }]);
};

const invoiceShipment = (order: ExistingOrder, data: Of<'InvoiceShipment'>): Decision => {
  if (order.invoice)
    return refuse('ALREADY_INVOICED', `Order ${order.orderId} is invoiced as a whole (${order.invoice.invoiceId}); its shipments are not invoiced apart.`, {
      invoiceId: order.invoice.invoiceId,
    });
  const shipment = order.shipments.get(data.shipmentId);
  if (!shipment) return refuse('SHIPMENT_NOT_FOUND', `Order ${order.orderId} has no shipment ${data.shipmentId}.`, { shipmentId: data.shipmentId });
  if (shipment.invoiceId)
    return refuse('SHIPMENT_ALREADY_INVOICED', `Shipment ${data.shipmentId} of order ${order.orderId} is already invoiced (${shipment.invoiceId}).`, {
      shipmentId: data.shipmentId,
      invoiceId: shipment.invoiceId,
    });
  if (data.basis === 'perDelivery' && !shipment.delivered)
    return refuse('NOT_DELIVERED', `Shipment ${data.shipmentId} of order ${order.orderId} is invoiced per delivery and is not delivered yet.`, {
      shipmentId: data.shipmentId,
    });
  if (order.invoices.has(data.invoiceId))
    return refuse('DUPLICATE_INVOICE', `Invoice ${data.invoiceId} is already issued on order ${order.orderId}.`, { invoiceId: data.invoiceId });
  const { currency } = order;
  const lines = shipment.lines.map((s) => {
    const line = order.lines.find((l) => l.lineNo === s.lineNo)!;
    // Cumulative proportion: the invoices of a line's shipments add up to exactly its net (and its tax).
    const net = subtract(proportion(line.netAmount, line.invoiced + s.quantity, line.quantity), line.invoicedNet);
    const tax = line.tax ? subtract(proportion(line.tax.amount, line.invoiced + s.quantity, line.quantity), line.invoicedTax) : undefined;
    return { lineNo: s.lineNo, quantity: s.quantity, net, ...(tax ? { tax } : {}) };
  });
  const net = sum(
    currency,
    lines.map((l) => l.net),
  );
  const tax = sum(
    currency,
    lines.map((l) => l.tax ?? zero(currency)),
  );
  const amount = add(net, tax);
  const { paymentTerms, ...rest } = data;
  return right([
    { type: 'ShipmentInvoiced', data: { ...rest, lines, amount, ...(order.tax ? { net, tax } : {}), ...termsOf(paymentTerms, data.invoicedAt, amount) } },
  ]);
};

/** Where the order's early-payment discounts reduce the taxable amount: the net and tax a discount takes back, per line. */
const withDiscountTax = <A extends { invoiceId: string; discount?: Money | undefined }>(order: ExistingOrder, a: A): A => {
  const lines = order.invoices.get(a.invoiceId)?.taxLines;
  if (!a.discount || !lines) return a;
  const shares = discountTaxShares(a.discount, lines);
  return shares.length > 0 ? { ...a, discountTax: shares.map((s) => ({ ...s })) } : a;
};

const recordPayment = (order: ExistingOrder, data: Of<'RecordPayment'>): Decision => {
  if (order.invoices.size === 0) return refuse('NOT_INVOICED', `Order ${order.orderId} has no invoice to pay yet.`, { orderId: order.orderId });
  if (order.paymentIds.has(data.paymentId))
    return refuse('DUPLICATE_PAYMENT', `Payment ${data.paymentId} is already recorded on order ${order.orderId}.`, { paymentId: data.paymentId });
  if (data.amount.currency !== order.currency) {
    return refuse('CURRENCY_MISMATCH', `Order ${order.orderId} is invoiced in ${order.currency}, not ${data.amount.currency}.`, { expected: order.currency });
  }
  const due = outstanding(order);
  const overpaid = (amount: Money) =>
    refuse('OVERPAYMENT', `Payment of ${formatMoney(amount)} exceeds the ${formatMoney(due)} outstanding on order ${order.orderId}.`, {
      outstandingMinor: due.amountMinor,
      amountMinor: amount.amountMinor,
    });
  if (data.amount.amountMinor > due.amountMinor) return overpaid(data.amount);
  const { invoiceId, invoices, ...payment } = data;
  const legacy =
    order.invoice !== undefined && order.invoices.size === 1 && !order.invoices.get(order.invoice.invoiceId)!.earlyPayment && !invoiceId && !invoices;
  let allocations: readonly (PaymentAllocation['allocations'][number] & { discountTax?: { lineNo: number; net: Money; tax: Money }[] })[] | undefined;
  let settled = data.amount;
  if (!legacy) {
    // Oldest due first among the order's invoices, or the one the payer names; a discount settles an invoice paid in time.
    const payable = payableInvoices(order);
    const named = invoices ?? (invoiceId ? [{ invoiceId }] : undefined);
    let allocated = allocatePayment(data.amount, dateOf(data.paidAt), payable, named);
    // Paying more than the discounted amount within the period pays the invoice in full, without the discount.
    if (allocated._tag === 'Right' && allocated.right.unapplied.amountMinor > 0)
      allocated = allocatePayment(
        data.amount,
        dateOf(data.paidAt),
        payable.map(({ earlyPayment: _forgone, ...p }) => p),
        named,
      );
    if (allocated._tag === 'Left') return allocated;
    if (allocated.right.unapplied.amountMinor > 0) return overpaid(data.amount);
    allocations = order.earlyPaymentDiscount ? allocated.right.allocations.map((a) => withDiscountTax(order, a)) : allocated.right.allocations;
    settled = sum(order.currency, [data.amount, ...allocations.flatMap((a) => (a.discount ? [a.discount] : []))]);
    if (settled.amountMinor > due.amountMinor) return overpaid(settled);
  }
  const after = subtract(due, settled);
  const events: OrderEvent[] = [
    { type: 'PaymentRecorded', data: { ...payment, outstanding: after, ...(allocations ? { allocations: allocations.map((a) => ({ ...a })) } : {}) } },
  ];
  if (after.amountMinor === 0 && fullyInvoiced(order)) {
    events.push({ type: 'OrderPaid', data: { orderId: order.orderId, paidAt: data.paidAt, totalPaid: sum(order.currency, [order.paid, data.amount]) } });
  }
  return right(events);
};

const returnGoods = (order: ExistingOrder, data: Of<'ReturnGoods'>): Decision => {
  if (order.returnIds.has(data.returnId))
    return refuse('DUPLICATE_RETURN', `Return ${data.returnId} is already recorded on order ${order.orderId}.`, { returnId: data.returnId });
  if (order.creditNoteIds.has(data.creditNoteId))
    return refuse('DUPLICATE_CREDIT_NOTE', `Credit note ${data.creditNoteId} is already issued on order ${order.orderId}.`, {
      creditNoteId: data.creditNoteId,
    });
  if (data.invoiceId && !order.invoices.has(data.invoiceId))
    return refuse('UNKNOWN_INVOICE', `Order ${order.orderId} has no invoice ${data.invoiceId}.`, { invoiceId: data.invoiceId });
  // On an order invoiced per shipment, the credit note is against the invoice named, else the latest invoice of a shipment
  // that carried the first line returned, else the latest invoice.
  const carried = [...order.shipments.values()].filter((s) => s.invoiceId && s.lines.some((l) => l.lineNo === data.lines[0]?.lineNo));
  const against = order.invoice ? undefined : (data.invoiceId ?? carried.at(-1)?.invoiceId ?? [...order.invoices.keys()].at(-1));
  const lines = lookUpLines(order, data.lines);
  if (lines._tag === 'Left') return lines;
  const returned: Array<{ lineNo: number; sku: string; quantity: number; creditAmount: Money; creditTax?: Money }> = [];
  for (const [line, q] of lines.right) {
    if (line.returned + q > line.delivered) {
      return refuse(
        'OVER_RETURN',
        `Line ${line.lineNo} (${line.sku}): returning ${q} would exceed the ${line.delivered - line.returned} delivered and not yet returned.`,
        {
          lineNo: line.lineNo,
          delivered: line.delivered,
          alreadyReturned: line.returned,
          requested: q,
        },
      );
    }
    // Cumulative proportion: the credits of all returns of a line add up to exactly its net amount.
    const creditAmount = subtract(proportion(line.netAmount, line.returned + q, line.quantity), line.credited);
    // The return credits its share of the line's tax the same way, so a whole line returned credits exactly its tax.
    const creditTax = line.tax ? subtract(proportion(line.tax.amount, line.returned + q, line.quantity), line.taxCredited) : undefined;
    returned.push({ lineNo: line.lineNo, sku: line.sku, quantity: q, creditAmount, ...(creditTax ? { creditTax } : {}) });
  }
  const net = sum(
    order.currency,
    returned.map((r) => r.creditAmount),
  );
  const tax = sum(
    order.currency,
    returned.map((r) => r.creditTax ?? zero(order.currency)),
  );
  const amount = add(net, tax);
  const parts = order.tax ? { net, tax } : {};
  return right([
    {
      type: 'GoodsReturned',
      data: {
        orderId: order.orderId,
        returnId: data.returnId,
        lines: returned,
        reason: data.reason,
        restock: data.restock ?? true,
        returnedAt: data.returnedAt,
      },
    },
    {
      type: 'CreditNoteIssued',
      data: {
        orderId: order.orderId,
        creditNoteId: data.creditNoteId,
        returnId: data.returnId,
        amount,
        ...parts,
        issuedAt: data.returnedAt,
        ...(against ? { invoiceId: against } : {}),
      },
    },
  ]);
};

const fromLifecycle = (order: ExistingOrder, allowed: readonly ExistingOrder['lifecycle'][], action: string, event: OrderEvent): Decision => {
  const wrong = requireLifecycle(order, allowed, action);
  return wrong ? refuse(wrong.code, wrong.message, wrong.details) : right([event]);
};

export const decideOrder = (command: OrderCommand, state: OrderState): Decision => {
  if (command.type === 'PlaceOrder') {
    if (state.exists) return refuse('ORDER_ALREADY_EXISTS', `Order ${command.data.orderId} already exists.`, { orderId: command.data.orderId });
    return placeOrder(command.data);
  }
  if (!state.exists) return refuse('ORDER_NOT_FOUND', `Order ${command.data.orderId} does not exist.`, { orderId: command.data.orderId });
  switch (command.type) {
    case 'ApproveOrder':
      return fromLifecycle(state, ['placed'], 'approved', { type: 'OrderApproved', data: command.data });
    case 'RejectOrder':
      return fromLifecycle(state, ['placed'], 'rejected', { type: 'OrderRejected', data: command.data });
    case 'ConfirmOrder':
      return fromLifecycle(state, ['approved'], 'confirmed', { type: 'OrderConfirmed', data: command.data });
    case 'CancelOrder':
      if (state.lines.some((l) => l.shipped > 0)) {
        return refuse('ALREADY_SHIPPED', `Order ${state.orderId} has shipped goods; it can no longer be cancelled (return them instead).`, {
          orderId: state.orderId,
        });
      }
      return fromLifecycle(state, ['placed', 'approved', 'confirmed'], 'cancelled', { type: 'OrderCancelled', data: command.data });
    case 'ShipOrder':
      return shipOrder(state, command.data);
    case 'DeliverShipment':
      return deliverShipment(state, command.data);
    case 'InvoiceOrder':
      return invoiceOrder(state, command.data);
    case 'InvoiceShipment':
      return invoiceShipment(state, command.data);
    case 'RecordPayment':
      return recordPayment(state, command.data);
    case 'ReturnGoods':
      return returnGoods(state, command.data);
    case 'QueueOrderForReview':
      if (state.review) return refuse('ALREADY_QUEUED_FOR_REVIEW', `Order ${state.orderId} is already waiting for review.`, { orderId: state.orderId });
      return fromLifecycle(state, ['placed'], 'queued for review', { type: 'OrderQueuedForReview', data: command.data });
    case 'AllocateStock':
      return allocateStock(state, command.data);
    case 'RecordStockReservation':
      return recordStockReservation(state, command.data);
    case 'ReallocateStock':
      return reallocateStock(state, command.data);
  }
};
