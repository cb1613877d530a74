import { z } from 'zod';
import { RegionId, TierId } from '../partners/commands';
import { PaymentTerms } from '../receivables/payment-terms';
import { Id, IsoDate, IsoDateTime, Sku } from '../shared/ids';
import { BasisPoints, Currency, NonNegativeMoney, PositiveMoney } from '../shared/money';
import { NonEmptyText, Text } from '../shared/text';
import { EarlyPaymentDiscountTreatment, PricesInclude, TaxCategory, TaxRateBps } from '../tax/tax';
import { QueueOrderForReview } from './review';

export const Quantity = z.number().int().min(1).max(1_000_000);
export const LineNo = z.number().int().min(1).max(999);

/** What a dealer asks for: SKUs and quantities. Prices are not the dealer's to choose; see `preparePlaceOrder`. */
export const OrderRequest = z.strictObject({
  orderId: Id,
  partnerId: Id,
  lines: z
    .array(z.strictObject({ sku: Sku, quantity: Quantity }))
    .min(1, 'an order needs at least one line')
    .max(200),
  placedAt: IsoDateTime,
  requestedDeliveryDate: IsoDate.optional(),
  customerReference: Text(80).optional(),
});
export type OrderRequest = z.infer<typeof OrderRequest>;

/**
 * Where a line's price came from, recorded on the line when the order is placed (absent on orders placed before it was):
 * - `dealer_price_list`: the dealer's own price-list version in force, allowed by agreement `agreementId`;
 * - `tier_price_list`: the tier's price-list version in force;
 * - both with the quantity break used (`minQuantity` 1 is the version's base price);
 * - `tier_price`: the tier's own undated price for the SKU;
 * - `list_price`: the list price less the tier discount (`discountBps` on the line).
 */
export const PriceSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dealer_price_list'), partnerId: Id, agreementId: Id, versionId: Id, minQuantity: Quantity }),
  z.object({ kind: z.literal('tier_price_list'), tier: TierId, versionId: Id, minQuantity: Quantity }),
  z.object({ kind: z.literal('tier_price'), tier: TierId }),
  z.object({ kind: z.literal('list_price'), tier: TierId }),
]);
export type PriceSource = z.infer<typeof PriceSource>;

/**
 * A promotion applied to a line (see `applyPromotions`): `line`, the line's own promotion, or `order`, the line's share of
 * an order-value threshold; `discount` is taken off the line's net amount.
 */
export const LinePromotion = z.strictObject({ promotionId: Id, kind: z.enum(['line', 'order']), discount: PositiveMoney });
export type LinePromotion = z.infer<typeof LinePromotion>;

/**
 * The tax a line is placed under, snapshotted when the order is placed (see `lineTaxRate`): the product's category, the rate
 * in force for the order's region (`rateId` absent for `zero` and `exempt`), and whether the line's price included tax.
 */
export const LineTaxBasis = z.strictObject({ category: TaxCategory, rateBps: TaxRateBps, rateId: Id.optional(), pricesInclude: PricesInclude });
export type LineTaxBasis = z.infer<typeof LineTaxBasis>;

export const PricedLine = z.strictObject({
  lineNo: LineNo,
  sku: Sku,
  quantity: Quantity,
  unitPrice: NonNegativeMoney,
  discountBps: BasisPoints,
  priceSource: PriceSource.optional(),
  /** At most one of each kind; absent when no promotion applies. */
  promotions: z.array(LinePromotion).min(1).max(2).optional(),
  /** Absent when the order's region is untaxed. */
  tax: LineTaxBasis.optional(),
});
export type PricedLine = z.infer<typeof PricedLine>;

/** A priced order: the unit price and discount of every line are snapshotted here and never change afterwards. */
export const PlaceOrder = z.strictObject({
  type: z.literal('PlaceOrder'),
  data: z.strictObject({
    orderId: Id,
    partnerId: Id,
    region: RegionId,
    tier: TierId,
    currency: Currency,
    lines: z.array(PricedLine).min(1).max(200),
    placedAt: IsoDateTime,
    requestedDeliveryDate: IsoDate.optional(),
    customerReference: Text(80).optional(),
    /**
     * The region's treatment of early-payment discounts when the order was placed, snapshotted as its rates are; only
     * `reducesTaxableAmount` is recorded (absent: the tax stays as invoiced). See `discountTaxShares`.
     */
    earlyPaymentDiscount: EarlyPaymentDiscountTreatment.extract(['reducesTaxableAmount']).optional(),
  }),
});

export const ApproveOrder = z.strictObject({
  type: z.literal('ApproveOrder'),
  data: z.strictObject({ orderId: Id, approvedAt: IsoDateTime, note: Text(500).optional() }),
});

export const RejectOrder = z.strictObject({
  type: z.literal('RejectOrder'),
  data: z.strictObject({ orderId: Id, reason: NonEmptyText(500), rejectedAt: IsoDateTime }),
});

export const ConfirmOrder = z.strictObject({
  type: z.literal('ConfirmOrder'),
  data: z.strictObject({ orderId: Id, confirmedAt: IsoDateTime }),
});

export const CancelOrder = z.strictObject({
  type: z.literal('CancelOrder'),
  data: z.strictObject({ orderId: Id, reason: NonEmptyText(500), cancelledAt: IsoDateTime }),
});

export const LineQuantity = z.strictObject({ lineNo: LineNo, quantity: Quantity });
export type LineQuantity = z.infer<typeof LineQuantity>;

const distinctLines = (lines: readonly LineQuantity[]) => new Set(lines.map((l) => l.lineNo)).size === lines.length;
const LineQuantities = z.array(LineQuantity).min(1).max(200).refine(distinctLines, 'each line may appear only once');

export const ShipOrder = z.strictObject({
  type: z.literal('ShipOrder'),
  data: z.strictObject({
    orderId: Id,
    shipmentId: Id,
    lines: LineQuantities,
    shippedAt: IsoDateTime,
    warehouseId: Id.optional(),
    carrier: Text(80).optional(),
    trackingNumber: Text(80).optional(),
  }),
});

export const DeliverShipment = z.strictObject({
  type: z.literal('DeliverShipment'),
  data: z.strictObject({ orderId: Id, shipmentId: Id, deliveredAt: IsoDateTime, receivedBy: Text(120).optional() }),
});

/**
 * Invoices the whole order once every line is delivered (`perOrder`). The due date is given, or computed from the agreement's
 * `paymentTerms` (then the invoice also records its instalments or early-payment discount); one of the two.
 */
export const InvoiceOrder = z.strictObject({
  type: z.literal('InvoiceOrder'),
  data: z
    .strictObject({ orderId: Id, invoiceId: Id, invoicedAt: IsoDateTime, dueDate: IsoDate.optional(), paymentTerms: PaymentTerms.optional() })
    .refine((d) => (d.dueDate === undefined) !== (d.paymentTerms === undefined), 'give the due date or the payment terms, not both'),
});

/**
 * Invoices one shipment of an order invoiced `perShipment` (when it has left) or `perDelivery` (once it is delivered), its
 * due dates computed from the agreement's `paymentTerms`.
 */
export const InvoiceShipment = z.strictObject({
  type: z.literal('InvoiceShipment'),
  data: z.strictObject({
    orderId: Id,
    shipmentId: Id,
    invoiceId: Id,
    basis: z.enum(['perShipment', 'perDelivery']),
    invoicedAt: IsoDateTime,
    paymentTerms: PaymentTerms,
  }),
});

export const RecordPayment = z.strictObject({
  type: z.literal('RecordPayment'),
  data: z.strictObject({
    orderId: Id,
    paymentId: Id,
    amount: PositiveMoney,
    paidAt: IsoDateTime,
    method: z.enum(['bank_transfer', 'card', 'cheque', 'cash', 'offset']).default('bank_transfer'),
    reference: Text(80).optional(),
    /** The invoice of the order it pays (an order invoiced per shipment has several); absent: oldest due first. */
    invoiceId: Id.optional(),
    /**
     * The order's share of a dealer's payment or credit (`ReceiveDealerPayment`, `ApplyDealerCredit`): these invoices,
     * each with this amount of cash, adding up to `amount`; an amount that settles an invoice in its early-payment
     * period allows the discount. Not with `invoiceId`.
     */
    invoices: z
      .array(z.strictObject({ invoiceId: Id, amount: PositiveMoney }))
      .min(1)
      .max(100)
      .optional(),
  }),
});

export const ReturnGoods = z.strictObject({
  type: z.literal('ReturnGoods'),
  data: z.strictObject({
    orderId: Id,
    returnId: Id,
    creditNoteId: Id,
    lines: LineQuantities,
    reason: NonEmptyText(500),
    /**
     * Whether the goods can be sold again (default true): they go back into stock at the warehouse they shipped from.
     * False for damaged or unsaleable goods, which are credited but not restocked.
     */
    restock: z.boolean().optional(),
    returnedAt: IsoDateTime,
    /** The invoice the credit note is against, on an order invoiced per shipment (absent: its latest invoice). */
    invoiceId: Id.optional(),
  }),
});

/**
 * Assigns quantities of order lines to warehouses (sent by the fulfilment process, or by staff). Each assignment is then
 * reserved in that warehouse's stock, or backordered there when the stock is short.
 */
export const AllocateStock = z.strictObject({
  type: z.literal('AllocateStock'),
  data: z.strictObject({
    orderId: Id,
    allocations: z
      .array(z.strictObject({ lineNo: LineNo, warehouseId: Id, quantity: Quantity }))
      .min(1)
      .max(200),
    allocatedAt: IsoDateTime,
  }),
});

/** Tells the order that stock was reserved for one of its lines (sent by the fulfilment process from the stock stream). */
export const RecordStockReservation = z.strictObject({
  type: z.literal('RecordStockReservation'),
  data: z.strictObject({ orderId: Id, lineNo: LineNo, warehouseId: Id, quantity: Quantity, reservedAt: IsoDateTime }),
});

/**
 * Moves part of a line's allocation from one warehouse to another (sent by the fulfilment process once the backorder
 * there has been withdrawn, to be reserved where stock is available).
 */
export const ReallocateStock = z.strictObject({
  type: z.literal('ReallocateStock'),
  data: z.strictObject({ orderId: Id, lineNo: LineNo, fromWarehouseId: Id, toWarehouseId: Id, quantity: Quantity, reallocatedAt: IsoDateTime }),
});

export const OrderCommand = z.discriminatedUnion('type', [
  PlaceOrder,
  ApproveOrder,
  RejectOrder,
  ConfirmOrder,
  CancelOrder,
  ShipOrder,
  DeliverShipment,
  InvoiceOrder,
  InvoiceShipment,
  RecordPayment,
  ReturnGoods,
  QueueOrderForReview,
  AllocateStock,
  RecordStockReservation,
  ReallocateStock,
]);
export type OrderCommand = z.infer<typeof OrderCommand>;
export type PlaceOrder = z.infer<typeof PlaceOrder>;
export type AllocateStock = z.infer<typeof AllocateStock>;
export type RecordStockReservation = z.infer<typeof RecordStockReservation>;
export type ReallocateStock = z.infer<typeof ReallocateStock>;
