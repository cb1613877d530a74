import { z } from 'zod';
import { RebateBasis } from '../agreements/terms';
import { Actor, Id, IsoDateTime } from '../shared/ids';
import { Currency, Money } from '../shared/money';
import { SettlementLine } from './commands';
import { PeriodId } from './periods';

export const SettlementStatementOpened = z.object({
  type: z.literal('SettlementStatementOpened'),
  data: z.object({ partnerId: Id, period: PeriodId, currency: Currency, openedAt: IsoDateTime }),
});

export const SettlementLineAdded = z.object({
  type: z.literal('SettlementLineAdded'),
  data: z.object({
    partnerId: Id,
    period: PeriodId,
    line: SettlementLine,
    /** True when the line belongs to an earlier period whose statement was already closed. */
    correction: z.boolean(),
    addedAt: IsoDateTime,
  }),
});

export const RebateEarned = z.object({
  agreementId: Id,
  agreementVersion: z.number().int(),
  basis: RebateBasis,
  volume: Money,
  /** 1-based band reached. */
  band: z.number().int(),
  rateBps: z.number().int(),
  amount: Money,
});
export type RebateEarned = z.infer<typeof RebateEarned>;

export const StatementTotals = z.object({
  revenueShare: Money,
  jointMarketing: Money,
  penalties: Money,
  rebates: Money,
  /** What settles the statement: positive, the manufacturer pays the dealer; negative, the dealer pays the manufacturer. */
  total: Money,
});
export type StatementTotals = z.infer<typeof StatementTotals>;

export const SettlementStatementClosed = z.object({
  type: z.literal('SettlementStatementClosed'),
  data: z.object({
    partnerId: Id,
    period: PeriodId,
    rebates: z.array(RebateEarned),
    volume: Money,
    totals: StatementTotals,
    lineCount: z.number().int(),
    /** Who closed it; absent on statements closed before the four-eyes rule was recorded. */
    by: Actor.optional(),
    closedAt: IsoDateTime,
  }),
});

export const SettlementStatementApproved = z.object({
  type: z.literal('SettlementStatementApproved'),
  /** `by`: who approved it, never whoever closed it; absent on statements approved before the four-eyes rule was recorded. */
  data: z.object({ partnerId: Id, period: PeriodId, total: Money, note: z.string().optional(), by: Actor.optional(), approvedAt: IsoDateTime }),
});

export const SettlementStatementPaid = z.object({
  type: z.literal('SettlementStatementPaid'),
  data: z.object({
    partnerId: Id,
    period: PeriodId,
    paymentReference: z.string(),
    amount: Money,
    payer: z.enum(['manufacturer', 'dealer']),
    paidAt: IsoDateTime,
  }),
});

export const SettlementEvent = z.discriminatedUnion('type', [
  SettlementStatementOpened,
  SettlementLineAdded,
  SettlementStatementClosed,
  SettlementStatementApproved,
  SettlementStatementPaid,
]);
export type SettlementEvent = z.infer<typeof SettlementEvent>;
