import { z } from 'zod';
import { RebateTerms } from '../agreements/terms';
import { Actor, Id, IsoDate, IsoDateTime } from '../shared/ids';
import { Currency, Money, NonNegativeMoney } from '../shared/money';
import { NonEmptyText, RawText, Text } from '../shared/text';
import { PeriodId, SettlementCadence } from './periods';

export const SettlementLineKind = z.enum(['revenue_share', 'joint_marketing', 'penalty']);
export type SettlementLineKind = z.infer<typeof SettlementLineKind>;

/**
 * One line of a dealer's statement. `amount` is what the line does to the settlement: positive when the manufacturer owes
 * the dealer, negative when the dealer owes the manufacturer. `volume` is what the line adds to the rebate volume (the
 * order revenue of a revenue-share line; zero otherwise).
 */
export const SettlementLine = z.strictObject({
  lineId: RawText(300).min(1),
  kind: SettlementLineKind,
  agreementId: Id,
  agreementVersion: z.number().int().min(1),
  orderId: Id.optional(),
  reference: RawText(200).min(1),
  date: IsoDate,
  description: NonEmptyText(500),
  base: Money,
  amount: Money,
  volume: Money,
});
export type SettlementLine = z.infer<typeof SettlementLine>;

export const AddSettlementLine = z.strictObject({
  type: z.literal('AddSettlementLine'),
  data: z.strictObject({ partnerId: Id, period: PeriodId, line: SettlementLine, addedAt: IsoDateTime }),
});

/** The rebate terms of an agreement for the period being closed: those of the version in force on its last day. */
export const PeriodRebateTerms = z.strictObject({ agreementId: Id, agreementVersion: z.number().int().min(1), terms: RebateTerms });
export type PeriodRebateTerms = z.infer<typeof PeriodRebateTerms>;

/**
 * Freezes the statement once its period has ended, adding the rebate each agreement's volume earned. A dealer with no
 * line in the period gets a nil statement (in `currency`), so that the period is closed for it too: a late line then goes
 * to the next period like any other correction.
 */
export const CloseSettlementStatement = z.strictObject({
  type: z.literal('CloseSettlementStatement'),
  data: z.strictObject({
    partnerId: Id,
    period: PeriodId,
    rebates: z.array(PeriodRebateTerms).max(50),
    currency: Currency.optional().describe('For a nil statement: the currency the dealer settles in'),
    by: Actor.describe('Who closed it: someone else must approve it'),
    closedAt: IsoDateTime,
  }),
});

/** Approves a closed statement for payment: by someone other than whoever closed it (four eyes on money going out). */
export const ApproveSettlementStatement = z.strictObject({
  type: z.literal('ApproveSettlementStatement'),
  data: z.strictObject({ partnerId: Id, period: PeriodId, note: Text(500).optional(), by: Actor, approvedAt: IsoDateTime }),
});

/** Settles an approved statement: the amount must be exactly its total, paid by whichever side owes it. */
export const RecordSettlementPayment = z.strictObject({
  type: z.literal('RecordSettlementPayment'),
  data: z.strictObject({ partnerId: Id, period: PeriodId, paymentReference: NonEmptyText(80), amount: NonNegativeMoney, paidAt: IsoDateTime }),
});

export const SettlementCommand = z.discriminatedUnion('type', [
  AddSettlementLine,
  CloseSettlementStatement,
  ApproveSettlementStatement,
  RecordSettlementPayment,
]);
export type SettlementCommand = z.infer<typeof SettlementCommand>;

/**
 * Intent, run by the command bus: posts a line to the dealer's statement for the period its date falls in, or, when that
 * statement is already closed, to the next one still open (corrections land in the next period). Sent by the
 * `settlement_lines` policy.
 */
export const PostSettlementLine = z.strictObject({
  type: z.literal('PostSettlementLine'),
  data: z.strictObject({ partnerId: Id, cadence: SettlementCadence, line: SettlementLine, at: IsoDateTime }),
});
export type PostSettlementLine = z.infer<typeof PostSettlementLine>;

/** Intent, run by the command bus: closes a dealer's statement with the rebate terms of its agreements' versions in force. */
export const CloseSettlementPeriod = z.strictObject({
  type: z.literal('CloseSettlementPeriod'),
  data: z.strictObject({ partnerId: Id, period: PeriodId, by: Actor, closedAt: IsoDateTime }),
});
export type CloseSettlementPeriod = z.infer<typeof CloseSettlementPeriod>;
