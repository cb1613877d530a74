import { AgreementTerms } from '@dms/domain';
import { z } from 'zod';
import { Money } from '../schemas';

/** Response schemas of the agreement, review-queue and settlement routes. */

export const AgreementSummaryView = z
  .object({
    agreementId: z.string(),
    partnerId: z.string(),
    partnerName: z.string().nullable(),
    title: z.string(),
    status: z.enum(['draft', 'proposed', 'signed', 'active', 'expired', 'terminated']),
    currentVersion: z.number().int(),
    effectiveFrom: z.string().describe('When version 1 takes effect'),
    currentVersionEffectiveFrom: z.string(),
    expiresOn: z.string().describe('Last day in force (inclusive)'),
    daysToExpiry: z.number().int().nullable().describe('Days from asOf to the last day in force'),
    categories: z.array(z.string()),
    regions: z.array(z.string()),
    exclusive: z.boolean(),
    pricingTier: z.string(),
    settlementBasis: z.string(),
    settlementPeriod: z.string(),
    rebateBasis: z.string(),
    signedBy: z.object({ manufacturer: z.string().nullable(), dealer: z.string().nullable() }),
    activatedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    endReason: z.string().nullable(),
    breaches: z.number().int(),
    penalties: Money,
    marketingSpend: Money,
    updatedAt: z.string(),
  })
  .meta({ id: 'AgreementSummary' });

export const AgreementDetailView = AgreementSummaryView.extend({
  versions: z.array(
    z.object({
      version: z.number().int(),
      effectiveFrom: z.string(),
      effectiveUntil: z.string().describe('Last day this version governs'),
      reason: z.string().nullable(),
      recordedAt: z.string(),
      terms: AgreementTerms,
    }),
  ),
  breachList: z.array(
    z.object({
      breachId: z.string(),
      clauseId: z.string(),
      version: z.number().int(),
      breachingParty: z.string(),
      description: z.string(),
      occurredOn: z.string(),
      penalty: Money,
      recordedAt: z.string(),
    }),
  ),
}).meta({ id: 'Agreement' });

export const CalendarRunView = z
  .object({
    asOf: z.string(),
    activated: z.array(z.string()),
    expired: z.array(z.string()),
    refused: z.array(z.object({ agreementId: z.string(), action: z.enum(['activate', 'expire']), code: z.string(), message: z.string() })),
  })
  .meta({ id: 'AgreementCalendarRun' });

export const OrderReviewView = z
  .object({
    orderId: z.string(),
    partnerId: z.string(),
    partnerName: z.string().nullable(),
    region: z.string(),
    placedAt: z.string(),
    total: Money,
    status: z.enum(['pending', 'queued', 'approved', 'rejected', 'cancelled']),
    automatic: z.boolean().describe('Approved by automated review'),
    reasons: z.array(z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })),
    queuedAt: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    note: z.string().nullable(),
    credit: z.object({ exposure: Money, limit: Money, available: Money }).describe("The dealer's credit now"),
  })
  .meta({ id: 'OrderReview' });

export const SplitLineView = z
  .object({
    splitId: z.string(),
    partyId: z.string(),
    role: z.string(),
    kind: z.enum(['revenue', 'joint_marketing']),
    partnerId: z.string(),
    agreementId: z.string(),
    agreementVersion: z.number().int(),
    orderId: z.string().nullable(),
    source: z.object({ kind: z.string(), id: z.string() }),
    date: z.string(),
    shareBps: z.number().int(),
    base: Money.describe('What was split: the order revenue change, or the marketing spend'),
    amount: Money.describe("This party's part (negative: a credit note, or a cost it bears)"),
  })
  .meta({ id: 'SplitLine' });

export const SplitLedgerView = z
  .object({
    items: z.array(SplitLineView),
    nextCursor: z.string().nullable(),
    totals: z.array(z.object({ partyId: z.string(), role: z.string(), revenue: Money, jointMarketing: Money, net: Money, lines: z.number().int() })),
  })
  .meta({ id: 'SplitLedger' });

export const RebateProgressView = z
  .object({
    agreementId: z.string(),
    agreementVersion: z.number().int(),
    partnerId: z.string(),
    partnerName: z.string().nullable(),
    period: z.string(),
    statementStatus: z.string().nullable(),
    basis: z.enum(['band_total', 'band_marginal']),
    volume: Money,
    band: z.number().int().describe('0-based index of the band reached'),
    rateBps: z.number().int(),
    amount: Money.describe('Rebate earned at this volume'),
    next: z
      .object({ band: z.number().int(), from: Money, rateBps: z.number().int(), remaining: Money, rebateAtStart: Money })
      .nullable()
      .describe('The next band: how much more volume reaches it'),
  })
  .meta({ id: 'RebateProgress' });

export const StatementSummaryView = z
  .object({
    statementId: z.string(),
    partnerId: z.string(),
    partnerName: z.string().nullable(),
    period: z.string(),
    status: z.enum(['open', 'closed', 'approved', 'paid']),
    lineCount: z.number().int(),
    volume: Money,
    revenueShare: Money,
    jointMarketing: Money,
    penalties: Money,
    rebates: Money,
    total: Money.describe('Positive: the manufacturer owes the dealer; negative: the dealer owes the manufacturer'),
    openedAt: z.string(),
    closedAt: z.string().nullable(),
    closedBy: z.string().nullable().describe('Who closed it (actor id)'),
    approvedAt: z.string().nullable(),
    approvedBy: z.string().nullable().describe('Who approved it for payment: never whoever closed it'),
    paidAt: z.string().nullable(),
    paymentReference: z.string().nullable(),
    payer: z.string().nullable(),
  })
  .meta({ id: 'SettlementStatementSummary' });

export const StatementDetailView = StatementSummaryView.extend({
  lines: z.array(
    z.object({
      lineId: z.string(),
      seq: z.number().int(),
      kind: z.enum(['revenue_share', 'joint_marketing', 'penalty', 'rebate']),
      agreementId: z.string(),
      agreementVersion: z.number().int(),
      orderId: z.string().nullable(),
      reference: z.string(),
      date: z.string(),
      description: z.string(),
      base: Money,
      amount: Money,
      volume: Money,
      correction: z.boolean().describe('A line of an earlier, already closed period'),
    }),
  ),
  reconciliation: z.object({
    invoices: z.object({ count: z.number().int(), onStatement: Money, perOrders: Money }),
    creditNotes: z.object({ count: z.number().int(), amount: Money }),
    payments: z.object({ count: z.number().int(), amount: Money }),
    linesTotal: Money,
    reconciled: z.boolean(),
  }),
}).meta({ id: 'SettlementStatement' });
