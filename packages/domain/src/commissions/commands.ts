import { z } from 'zod';
import { PeriodId, SettlementCadence } from '../settlements/periods';
import { Actor, Id, IsoDate, IsoDateTime } from '../shared/ids';
import { Money, NonNegativeMoney } from '../shared/money';
import { NonEmptyText, RawText, Text } from '../shared/text';

/**
 * One line of a sales agent's commission statement: the agent's share of an invoice, payment or credit note of an order
 * it earns on, exactly its line in that order's revenue split. A credit note's line is negative: it claws the commission
 * on the returned goods back.
 */
export const CommissionLine = z.strictObject({
  /** `rev:<orderId>:<source kind>:<source id>`, as the dealer's statement line of the same split. */
  lineId: RawText(300).min(1),
  orderId: Id,
  partnerId: Id.describe('The dealer whose order it is'),
  agreementId: Id,
  agreementVersion: z.number().int().min(1),
  source: z.strictObject({ kind: z.enum(['invoice', 'payment', 'credit_note']), id: Id }),
  date: IsoDate,
  description: NonEmptyText(500),
  /** What the split divided: the order's revenue change. */
  base: Money,
  shareBps: z.number().int().min(0).max(10_000),
  amount: Money,
});
export type CommissionLine = z.infer<typeof CommissionLine>;

const Key = { agentId: Id, period: PeriodId };

export const AddCommissionLine = z.strictObject({
  type: z.literal('AddCommissionLine'),
  data: z.strictObject({ ...Key, line: CommissionLine, addedAt: IsoDateTime }),
});

/** Freezes the statement once its period has ended; its lines never change again (later ones go to the next period). */
export const CloseCommissionStatement = z.strictObject({
  type: z.literal('CloseCommissionStatement'),
  data: z.strictObject({ ...Key, by: Actor, closedAt: IsoDateTime }),
});

/** Approves a closed statement for payment: by someone other than whoever closed it (four eyes). */
export const ApproveCommissionStatement = z.strictObject({
  type: z.literal('ApproveCommissionStatement'),
  data: z.strictObject({ ...Key, note: Text(500).optional(), by: Actor, approvedAt: IsoDateTime }),
});

/** Settles an approved statement: exactly its total, paid to the agent, or by the agent when clawbacks exceed commission. */
export const RecordCommissionPayment = z.strictObject({
  type: z.literal('RecordCommissionPayment'),
  data: z.strictObject({ ...Key, paymentReference: NonEmptyText(80), amount: NonNegativeMoney, paidAt: IsoDateTime }),
});

export const CommissionCommand = z.discriminatedUnion('type', [
  AddCommissionLine,
  CloseCommissionStatement,
  ApproveCommissionStatement,
  RecordCommissionPayment,
]);
export type CommissionCommand = z.infer<typeof CommissionCommand>;

/**
 * Intent, run by the command bus (sent by the `commission_lines` policy): posts a line to the agent's statement for the
 * period its date falls in, or, when that statement is already closed, to the next one still open.
 */
export const PostCommissionLine = z.strictObject({
  type: z.literal('PostCommissionLine'),
  data: z.strictObject({ agentId: Id, cadence: SettlementCadence, line: CommissionLine, at: IsoDateTime }),
});
export type PostCommissionLine = z.infer<typeof PostCommissionLine>;
