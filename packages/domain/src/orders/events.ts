import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, Sku } from '../shared/ids';
import { BasisPoints, Currency, Money } from '../shared/money';
import { LineNo, LinePromotion, LineQuantity, LineTaxBasis, PriceSource, Quantity } from './commands';
import { OrderQueuedForReview } from './review';

export const OrderLine = z.object({
  lineNo: LineNo,
  sku: Sku,
  quantity: Quantity,
  unitPrice: Money,
  discountBps: BasisPoints,
  netAmount: Money,
  /** Where the unit price came from (absent on orders placed before price sources were recorded). */
  priceSource: PriceSource.optional(),
  /** The promotions applied to the line (absent when none did); `netAmount` is after their discounts. */
  promotions: z.array(LinePromotion).optional(),
  /**
   * The line's tax (absent on orders placed before tax existed and in untaxed regions: such a line is untaxed, its gross is
   * its net): the basis it was placed under, the tax amount and the gross amount (`netAmount + amount = gross`).
   */
  tax: LineTaxBasis.extend({ amount: Money, gross: Money }).optional(),
});
export type OrderLine = z.infer<typeof OrderLine>;

export const OrderPlaced = z.object({
  type: z.literal('OrderPlaced'),
  data: z.object({
    orderId: Id,
    partnerId: Id,
    region: Id,
    tier: Id,
    currency: Currency,
    lines: z.array(OrderLine),
    /** The sum of the lines' net amounts. */
    total: Money,
    /** The sum of the lines' tax, and `total + tax` (both absent on untaxed orders: the gross is the net). */
    tax: Money.optional(),
    gross: Money.optional(),
    placedAt: IsoDateTime,
    requestedDeliveryDate: IsoDate.optional(),
    customerReference: z.string().optional(),
    /** Present when the region's early-payment discounts reduce the taxable amount (see `PlaceOrder`). */
    earlyPaymentDiscount: z.literal('reducesTaxableAmount').optional(),
  }),
});

export const OrderApproved = z.object({
  type: z.literal('OrderApproved'),
  data: z.object({ orderId: Id, approvedAt: IsoDateTime, note: z.string().optional() }),
});
export const OrderRejected = z.object({
  type: z.literal('OrderRejected'),
  data: z.object({ orderId: Id, reason: z.string(), rejectedAt: IsoDateTime }),
});
export const OrderConfirmed = z.object({
  type: z.literal('OrderConfirmed'),
  data: z.object({ orderId: Id, confirmedAt: IsoDateTime }),
});
export const OrderCancelled = z.object({
  type: z.literal('OrderCancelled'),
  data: z.object({ orderId: Id, reason: z.string(), cancelledAt: IsoDateTime }),
});

export const OrderShipped = z.object({
  type: z.literal('OrderShipped'),
  data: z.object({
    orderId: Id,
    shipmentId: Id,
    lines: z.array(LineQuantity),
    shippedAt: IsoDateTime,
    warehouseId: Id.optional(),
    carrier: z.string().optional(),
    trackingNumber: z.string().optional(),
    /** True when, with this shipment, every line has shipped in full. */
    fullyShipped: z.boolean(),
  }),
});

export const ShipmentDelivered = z.object({
  type: z.literal('ShipmentDelivered'),
  data: z.object({
    orderId: Id,
    shipmentId: Id,
    lines: z.array(LineQuantity),
    deliveredAt: IsoDateTime,
    receivedBy: z.string().optional(),
    /** True when, with this delivery, every line has been delivered in full. */
    fullyDelivered: z.boolean(),
  }),
});

/** An invoice's due dates (more than one with instalments) and early-payment discount, from the agreement's payment terms. */
const InvoiceTerms = {
  /** Present when the terms set instalments: each due date and amount, oldest first, adding up to `amount`. */
  instalments: z.array(z.object({ dueOn: IsoDate, amount: Money })).optional(),
  /** Present under an early-payment discount: paying `amount − discount` by `until` settles the invoice. */
  earlyPayment: z.object({ until: IsoDate, discount: Money }).optional(),
};

export const OrderInvoiced = z.object({
  type: z.literal('OrderInvoiced'),
  /** `amount` is what the dealer owes: the gross; `net` and `tax` are its parts (absent on untaxed orders, where amount is net). */
  data: z.object({
    orderId: Id,
    invoiceId: Id,
    amount: Money,
    net: Money.optional(),
    tax: Money.optional(),
    invoicedAt: IsoDateTime,
    dueDate: IsoDate,
    ...InvoiceTerms,
  }),
});

/**
 * One shipment of an order invoiced per shipment or per delivery. Each line's share is its cumulative proportion of the
 * line's net and tax, so the invoices of an order shipped in full add up to its gross exactly.
 */
export const ShipmentInvoiced = z.object({
  type: z.literal('ShipmentInvoiced'),
  data: z.object({
    orderId: Id,
    shipmentId: Id,
    invoiceId: Id,
    basis: z.enum(['perShipment', 'perDelivery']),
    lines: z.array(z.object({ lineNo: LineNo, quantity: Quantity, net: Money, tax: Money.optional() })),
    /** Gross: net plus tax (the net on untaxed orders). */
    amount: Money,
    net: Money.optional(),
    tax: Money.optional(),
    invoicedAt: IsoDateTime,
    dueDate: IsoDate,
    ...InvoiceTerms,
  }),
});

export const PaymentRecorded = z.object({
  type: z.literal('PaymentRecorded'),
  data: z.object({
    orderId: Id,
    paymentId: Id,
    amount: Money,
    paidAt: IsoDateTime,
    method: z.string(),
    reference: z.string().optional(),
    /** Invoiced less credited less paid, after this payment. */
    outstanding: Money,
    /**
     * Which of the order's invoices it paid, and the early-payment discount each settlement allowed (absent on payments of
     * an order invoiced once without terms, which pay its one invoice).
     */
    allocations: z
      .array(
        z.object({
          invoiceId: Id,
          amount: Money,
          discount: Money.optional(),
          /**
           * Where the order's early-payment discounts reduce the taxable amount: the net and tax the discount takes back
           * from each line of the invoice (`discountTaxShares`; they add up to `discount`).
           */
          discountTax: z.array(z.object({ lineNo: LineNo, net: Money, tax: Money })).optional(),
        }),
      )
      .optional(),
  }),
});

export const OrderPaid = z.object({
  type: z.literal('OrderPaid'),
  data: z.object({ orderId: Id, paidAt: IsoDateTime, totalPaid: Money }),
});

export const GoodsReturned = z.object({
  type: z.literal('GoodsReturned'),
  data: z.object({
    orderId: Id,
    returnId: Id,
    /** `creditAmount` is the net credited; `creditTax` the tax credited with it (absent on untaxed lines). */
    lines: z.array(z.object({ lineNo: LineNo, sku: Sku, quantity: Quantity, creditAmount: Money, creditTax: Money.optional() })),
    reason: z.string(),
    /**
     * True: the goods go back into stock where they shipped from; false: not resaleable. Absent on returns recorded
     * before returns were restocked automatically, which were received by hand and so are not restocked again.
     */
    restock: z.boolean().optional(),
    returnedAt: IsoDateTime,
  }),
});

export const CreditNoteIssued = z.object({
  type: z.literal('CreditNoteIssued'),
  /** `amount` is the gross credited (it reduces what is owed); `net` and `tax` its parts (absent on untaxed orders). */
  data: z.object({
    orderId: Id,
    creditNoteId: Id,
    returnId: Id,
    amount: Money,
    net: Money.optional(),
    tax: Money.optional(),
    issuedAt: IsoDateTime,
    /** The invoice it is against (absent on orders invoiced once, and on returns credited before any invoice). */
    invoiceId: Id.optional(),
  }),
});

export const OrderStockAllocated = z.object({
  type: z.literal('OrderStockAllocated'),
  data: z.object({
    orderId: Id,
    partnerId: Id,
    /** When the order was placed: the stock fills backorders in this order. */
    placedAt: IsoDateTime,
    /** The order's region (absent on older events): its sourcing order may fill a backorder from another warehouse. */
    region: Id.optional(),
    allocations: z.array(z.object({ lineNo: LineNo, sku: Sku, warehouseId: Id, quantity: Quantity })),
    allocatedAt: IsoDateTime,
  }),
});

export const OrderStockReserved = z.object({
  type: z.literal('OrderStockReserved'),
  data: z.object({
    orderId: Id,
    lineNo: LineNo,
    sku: Sku,
    warehouseId: Id,
    quantity: Quantity,
    reservedAt: IsoDateTime,
    /** True when, with this reservation, every line is reserved in full. */
    fullyReserved: z.boolean(),
  }),
});

/** Part of a line's allocation moved to another warehouse, where it is reserved next (a backorder filled from there). */
export const OrderStockReallocated = z.object({
  type: z.literal('OrderStockReallocated'),
  data: z.object({
    orderId: Id,
    partnerId: Id,
    placedAt: IsoDateTime,
    region: Id,
    lineNo: LineNo,
    sku: Sku,
    fromWarehouseId: Id,
    toWarehouseId: Id,
    quantity: Quantity,
    reallocatedAt: IsoDateTime,
  }),
});

export const OrderEvent = z.discriminatedUnion('type', [
  OrderPlaced,
  OrderApproved,
  OrderRejected,
  OrderConfirmed,
  OrderCancelled,
  OrderShipped,
  ShipmentDelivered,
  OrderInvoiced,
  ShipmentInvoiced,
  PaymentRecorded,
  OrderPaid,
  GoodsReturned,
  CreditNoteIssued,
  OrderQueuedForReview,
  OrderStockAllocated,
  OrderStockReserved,
  OrderStockReallocated,
]);
export type OrderEvent = z.infer<typeof OrderEvent>;
export type OrderPlaced = z.infer<typeof OrderPlaced>;
