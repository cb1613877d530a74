import { z } from 'zod';
import { PeriodId } from '../settlements/periods';
import { Actor, Id, IsoDateTime } from '../shared/ids';
import { Currency, Money } from '../shared/money';
import { CommissionLine } from './commands';

const Key = { agentId: Id, period: PeriodId };

export const CommissionStatementOpened = z.object({
  type: z.literal('CommissionStatementOpened'),
  data: z.object({ ...Key, currency: Currency, openedAt: IsoDateTime }),
});

export const CommissionLineAdded = z.object({
  type: z.literal('CommissionLineAdded'),
  data: z.object({
    ...Key,
    line: CommissionLine,
    /** True when the line belongs to an earlier period whose statement was already closed. */
    correction: z.boolean(),
    addedAt: IsoDateTime,
  }),
});

export const CommissionTotals = z.object({
  /** Lines of invoices and payments. */
  commission: Money,
  /** Lines of credit notes: commission taken back on returned goods (zero or negative). */
  clawbacks: Money,
  /** What settles the statement: positive, the manufacturer pays the agent; negative, the agent pays back. */
  total: Money,
});
export type CommissionTotals = z.infer<typeof CommissionTotals>;

export const CommissionStatementClosed = z.object({
  type: z.literal('CommissionStatementClosed'),
  data: z.object({ ...Key, totals: CommissionTotals, lineCount: z.number().int(), by: Actor, closedAt: IsoDateTime }),
});

export const CommissionStatementApproved = z.object({
  type: z.literal('CommissionStatementApproved'),
  data: z.object({ ...Key, total: Money, note: z.string().optional(), by: Actor, approvedAt: IsoDateTime }),
});

export const CommissionStatementPaid = z.object({
  type: z.literal('CommissionStatementPaid'),
  data: z.object({ ...Key, paymentReference: z.string(), amount: Money, payer: z.enum(['manufacturer', 'agent']), paidAt: IsoDateTime }),
});

export const CommissionEvent = z.discriminatedUnion('type', [
  CommissionStatementOpened,
  CommissionLineAdded,
  CommissionStatementClosed,
  CommissionStatementApproved,
  CommissionStatementPaid,
]);
export type CommissionEvent = z.infer<typeof CommissionEvent>;
