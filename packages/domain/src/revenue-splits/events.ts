import { z } from 'zod';
import { PartyRole, SettlementBasis } from '../agreements/terms';
import { SettlementCadence } from '../settlements/periods';
import { Id, IsoDateTime } from '../shared/ids';
import { Money } from '../shared/money';

export const SplitLine = z.object({ partyId: Id, role: PartyRole, shareBps: z.number().int(), amount: Money });
export type SplitLine = z.infer<typeof SplitLine>;

export const RevenueSplitRecorded = z.object({
  type: z.literal('RevenueSplitRecorded'),
  data: z.object({
    orderId: Id,
    partnerId: Id,
    agreementId: Id,
    agreementVersion: z.number().int(),
    settlementBasis: SettlementBasis,
    settlementPeriod: SettlementCadence,
    source: z.object({ kind: z.enum(['invoice', 'payment', 'credit_note']), id: Id, at: IsoDateTime }),
    /** The change in the order's recognised revenue: negative for a credit note. Equals the sum of `lines`. */
    amount: Money,
    /** The order's cumulative recognised revenue after this split. */
    recognized: Money,
    lines: z.array(SplitLine),
  }),
});

export const RevenueSplitEvent = z.discriminatedUnion('type', [RevenueSplitRecorded]);
export type RevenueSplitEvent = z.infer<typeof RevenueSplitEvent>;
