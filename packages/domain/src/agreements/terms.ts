import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { RegionId, TierId } from '../partners/commands';
import { Goal, validateGoals } from '../performance/goals';
import { DunningTerms } from '../receivables/dunning';
import { PaymentTerms } from '../receivables/payment-terms';
import { CreditHoldTerms } from '../receivables/terms';
import { SettlementCadence } from '../settlements/periods';
import { type DomainError, refuse } from '../shared/errors';
import { Id } from '../shared/ids';
import { BasisPoints, Currency, NonNegativeMoney } from '../shared/money';
import { NonEmptyText } from '../shared/text';

/** Who takes part in an agreement's money: the manufacturer, the dealer, and optionally a sub-dealer or a sales agent. */
export const PartyRole = z.enum(['manufacturer', 'dealer', 'sub_dealer', 'sales_agent']);
export type PartyRole = z.infer<typeof PartyRole>;

/** One party's share in basis points (10000 = 100 %). The order of shares breaks rounding ties: earlier parties first. */
export const PartyShare = z.strictObject({ partyId: Id, role: PartyRole, shareBps: BasisPoints });
export type PartyShare = z.infer<typeof PartyShare>;

export const Clause = z.strictObject({ clauseId: Id, title: NonEmptyText(120), text: NonEmptyText(4000) });
export type Clause = z.infer<typeof Clause>;

export const Responsibility = Clause.extend({ party: z.enum(['manufacturer', 'dealer']) });
export type Responsibility = z.infer<typeof Responsibility>;

/** A breach clause and the penalty a breach of it costs the party in breach. */
export const BreachClause = Clause.extend({ penalty: NonNegativeMoney });
export type BreachClause = z.infer<typeof BreachClause>;

/** A rebate band starts at `from` of settlement-period volume and pays `rateBps`. */
export const RebateBand = z.strictObject({ from: NonNegativeMoney, rateBps: BasisPoints });
export type RebateBand = z.infer<typeof RebateBand>;

/**
 * `band_total`: the rate of the band the period's volume reaches applies to the whole volume.
 * `band_marginal`: each band's rate applies to the slice of volume inside that band, like income-tax brackets.
 */
export const RebateBasis = z.enum(['band_total', 'band_marginal']);
export type RebateBasis = z.infer<typeof RebateBasis>;

export const RebateTerms = z.strictObject({ basis: RebateBasis, bands: z.array(RebateBand).min(1).max(12) });
export type RebateTerms = z.infer<typeof RebateTerms>;

/** `on_invoice`: revenue is split when invoiced (credit notes reverse it); `on_payment`: as it is paid. */
export const SettlementBasis = z.enum(['on_invoice', 'on_payment']);
export type SettlementBasis = z.infer<typeof SettlementBasis>;

const distinct = <T>(items: readonly T[]) => new Set(items).size === items.length;

export const AgreementScope = z.strictObject({
  productCategories: z.array(Id).min(1).max(50).refine(distinct, 'each category may appear only once'),
  regions: z.array(RegionId).min(1).max(50).refine(distinct, 'each region may appear only once'),
  /** The manufacturer appoints no other dealer for this scope while the agreement is in force. */
  exclusive: z.boolean(),
});
export type AgreementScope = z.infer<typeof AgreementScope>;

/** Everything an agreement version fixes. Amounts are in `currency`. */
export const AgreementTerms = z.strictObject({
  currency: Currency,
  scope: AgreementScope,
  responsibilities: z.array(Responsibility).max(50).default([]),
  pricingTier: TierId,
  /**
   * True: the dealer's own price list (`dealerprices-<partnerId>`) overrides the pricing tier's prices for the SKUs its version
   * in force lists. Absent or false: the dealer pays its tier's prices (docs/pricing.md).
   */
  dealerPrices: z.boolean().optional(),
  revenueSplit: z.array(PartyShare).min(2).max(10),
  rebate: RebateTerms,
  /** How joint-marketing spend is shared between the parties. */
  jointMarketing: z.array(PartyShare).min(1).max(10),
  settlement: z.strictObject({ basis: SettlementBasis, period: SettlementCadence }),
  /** Due dates, early-payment discount or instalments, and how invoices are cut (docs/receivables.md). */
  paymentTerms: PaymentTerms,
  /** Hold the dealer's new orders for a person while it owes past these limits (docs/receivables.md). Absent: no hold. */
  creditHold: CreditHoldTerms.optional(),
  /** The reminders an overdue invoice earns, level by level (docs/receivables.md#dunning). Absent: DMS's default levels. */
  dunning: DunningTerms.optional(),
  ipClause: NonEmptyText(4000),
  breachClauses: z.array(BreachClause).max(50).default([]),
  /** What the dealer aims at per settlement period (sales, payment discipline, returns...): scored by performance reviews. */
  goals: z.array(Goal).max(50).optional(),
});
export type AgreementTerms = z.infer<typeof AgreementTerms>;

const sharesAddUp = (what: string, code: string, shares: readonly PartyShare[]): Either<DomainError, true> => {
  const total = shares.reduce((a, s) => a + s.shareBps, 0);
  if (total !== 10_000) {
    return refuse(code, `The ${what} shares add up to ${(total / 100).toFixed(2)} %; they must add up to exactly 100 %.`, { totalBps: total });
  }
  const ids = shares.map((s) => s.partyId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) return refuse('DUPLICATE_PARTY', `Party ${twice} appears twice in the ${what} shares; give it one share.`, { partyId: twice });
  return right(true);
};

/**
 * The rules a set of terms must follow beyond its shape, for the dealer `partnerId`: shares add up to 100 %, the split names
 * the manufacturer and this dealer, rebate bands start at zero and rise, and every amount is in the agreement's currency.
 */
export const validateTerms = (terms: AgreementTerms, partnerId: string): Either<DomainError, AgreementTerms> => {
  const split = sharesAddUp('revenue-split', 'SPLIT_SHARES_NOT_100', terms.revenueSplit);
  if (split._tag === 'Left') return split;
  const manufacturers = terms.revenueSplit.filter((s) => s.role === 'manufacturer');
  const dealers = terms.revenueSplit.filter((s) => s.role === 'dealer');
  if (manufacturers.length !== 1 || dealers.length !== 1) {
    return refuse('SPLIT_PARTIES_INVALID', 'The revenue split must name exactly one manufacturer and exactly one dealer.', {
      manufacturers: manufacturers.length,
      dealers: dealers.length,
    });
  }
  if (dealers[0]!.partyId !== partnerId) {
    return refuse('SPLIT_PARTIES_INVALID', `The dealer in the revenue split is ${dealers[0]!.partyId}, but this agreement is with ${partnerId}.`, {
      dealer: dealers[0]!.partyId,
      partnerId,
    });
  }
  const marketing = sharesAddUp('joint-marketing', 'COST_SHARES_NOT_100', terms.jointMarketing);
  if (marketing._tag === 'Left') return marketing;
  const marketingDealer = terms.jointMarketing.find((s) => s.role === 'dealer');
  if (marketingDealer && marketingDealer.partyId !== partnerId) {
    return refuse('COST_SHARE_PARTIES_INVALID', `The dealer in the joint-marketing shares must be ${partnerId}, not ${marketingDealer.partyId}.`, {
      dealer: marketingDealer.partyId,
    });
  }
  const bands = terms.rebate.bands;
  if (bands[0]!.from.amountMinor !== 0) {
    return refuse('REBATE_BANDS_INVALID', 'The first rebate band must start at a volume of zero.', { firstFromMinor: bands[0]!.from.amountMinor });
  }
  for (let i = 1; i < bands.length; i++) {
    const [previous, band] = [bands[i - 1]!, bands[i]!];
    if (band.from.amountMinor <= previous.from.amountMinor) {
      return refuse('REBATE_BANDS_INVALID', `Rebate band ${i + 1} must start above band ${i}; bands are listed from the lowest volume up.`, { band: i + 1 });
    }
    if (band.rateBps < previous.rateBps) {
      return refuse('REBATE_BANDS_INVALID', `Rebate band ${i + 1} pays less than band ${i}; a higher volume must never earn a lower rate.`, { band: i + 1 });
    }
  }
  const foreign = [
    ...bands.map((b) => b.from.currency),
    ...terms.breachClauses.map((c) => c.penalty.currency),
    ...(terms.creditHold?.overdueAmountAbove ? [terms.creditHold.overdueAmountAbove.currency] : []),
  ].find((c) => c !== terms.currency);
  if (foreign) {
    return refuse('CURRENCY_MISMATCH', `Every amount in the terms must be in ${terms.currency}; found ${foreign}.`, {
      expected: terms.currency,
      found: foreign,
    });
  }
  const goals = validateGoals(terms.goals ?? [], { currency: terms.currency, categories: terms.scope.productCategories, cadence: terms.settlement.period });
  if (goals._tag === 'Left') return goals;
  const clauseIds = [...terms.responsibilities, ...terms.breachClauses].map((c) => c.clauseId);
  const twice = clauseIds.find((id, i) => clauseIds.indexOf(id) !== i);
  if (twice) return refuse('DUPLICATE_CLAUSE', `Clause ${twice} appears twice; clause ids must be unique within an agreement.`, { clauseId: twice });
  return right(terms);
};

/** Whether two scopes share at least one product category and one region. */
export const scopesOverlap = (
  a: Pick<AgreementScope, 'productCategories' | 'regions'>,
  b: Pick<AgreementScope, 'productCategories' | 'regions'>,
): { categories: string[]; regions: string[] } | undefined => {
  const categories = a.productCategories.filter((c) => b.productCategories.includes(c));
  const regions = a.regions.filter((r) => b.regions.includes(r));
  return categories.length > 0 && regions.length > 0 ? { categories, regions } : undefined;
};
