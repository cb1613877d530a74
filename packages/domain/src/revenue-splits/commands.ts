import { z } from 'zod';
import { PartyShare, SettlementBasis } from '../agreements/terms';
import { SettlementCadence } from '../settlements/periods';
import { Id, IsoDateTime } from '../shared/ids';
import { NonNegativeMoney } from '../shared/money';

/** The billing fact that changes what an order has earned: an invoice, a payment or a credit note. */
export const RevenueSource = z.strictObject({ kind: z.enum(['invoice', 'payment', 'credit_note']), id: Id });
export type RevenueSource = z.infer<typeof RevenueSource>;

/**
 * Splits what an order has earned so far between the parties of the agreement version in force on the order date.
 * `recognized` is the order's cumulative recognised revenue after `source` (see `recognizedRevenue`); the split records
 * only the change, so each party's lines always add up to its share of what the order has earned.
 */
export const RecordRevenueSplit = z.strictObject({
  type: z.literal('RecordRevenueSplit'),
  data: z.strictObject({
    orderId: Id,
    partnerId: Id,
    agreementId: Id,
    agreementVersion: z.number().int().min(1),
    settlementBasis: SettlementBasis,
    settlementPeriod: SettlementCadence,
    shares: z.array(PartyShare).min(1).max(10),
    source: RevenueSource.extend({ at: IsoDateTime }),
    recognized: NonNegativeMoney,
  }),
});
export type RecordRevenueSplit = z.infer<typeof RecordRevenueSplit>;

export const RevenueSplitCommand = z.discriminatedUnion('type', [RecordRevenueSplit]);
export type RevenueSplitCommand = z.infer<typeof RevenueSplitCommand>;

/** Intent, run by the command bus: splits the revenue an order's invoice, payment or credit note changed (`revenue_split` policy). */
export const RecordOrderRevenue = z.strictObject({
  type: z.literal('RecordOrderRevenue'),
  data: z.strictObject({ orderId: Id, source: RevenueSource }),
});
export type RecordOrderRevenue = z.infer<typeof RecordOrderRevenue>;
