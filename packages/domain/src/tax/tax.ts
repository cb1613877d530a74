import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { RegionId } from '../partners/commands';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { Id, IsoDateTime } from '../shared/ids';
import { allocate, divideRoundHalfUp, type Money } from '../shared/money';
import { NonEmptyText } from '../shared/text';

/**
 * Tax (VAT) by region: each of our regions is a tax jurisdiction with its own rate table on `taxrates-<region>`. A product
 * has a tax category; a rate says what a category pays in a region from `validFrom` (inclusive) to `validTo` (exclusive,
 * open-ended when absent). `zero` and `exempt` always pay nothing (zero-rated and exempt supplies are told apart in the tax
 * report) and need no rate; `standard` and `reduced` need a rate in force whenever the region is taxed at all.
 *
 * The rules keep "the rate in force" well defined and fixed once used, as price-list versions do: the rates of one category
 * never overlap; a new open-ended rate supersedes the open-ended one that started before it; nothing starts or ends before
 * the moment it is decided, so an order's tax never changes after it is placed.
 */
export const TaxCategory = z.enum(['standard', 'reduced', 'zero', 'exempt']).describe('tax category of a product: standard, reduced, zero or exempt');
export type TaxCategory = z.infer<typeof TaxCategory>;

/** The categories that carry a rate of their own; the others are always 0. */
export const RATED_CATEGORIES: readonly TaxCategory[] = ['standard', 'reduced'];

/** Whether a price list's prices include tax (`gross`) or not (`net`, the default and how every list before tax read). */
export const PricesInclude = z.enum(['net', 'gross']);
export type PricesInclude = z.infer<typeof PricesInclude>;

/** A tax rate in basis points: 1900 is 19 %. Never more than 100 %. */
export const TaxRateBps = z.number().int().min(0).max(10_000);

export const TaxRateContent = z.strictObject({
  rateId: Id,
  category: TaxCategory,
  rateBps: TaxRateBps,
  validFrom: IsoDateTime,
  validTo: IsoDateTime.optional(),
  name: NonEmptyText(120).optional(),
});
export type TaxRateContent = z.infer<typeof TaxRateContent>;

export const PublishTaxRate = z.strictObject({
  type: z.literal('PublishTaxRate'),
  data: TaxRateContent.extend({ region: RegionId, publishedAt: IsoDateTime }),
});
/** Brings a rate's end forward (to now at the earliest). */
export const EndTaxRate = z.strictObject({
  type: z.literal('EndTaxRate'),
  data: z.strictObject({ region: RegionId, rateId: Id, validTo: IsoDateTime, endedAt: IsoDateTime }),
});
/**
 * How a jurisdiction taxes an early-payment discount (docs/tax.md, "Early-payment discounts"):
 * - `financeCost`: the tax stays as invoiced; the discount is the seller's finance cost (China: a cash discount, 现金折扣,
 *   does not reduce the sales amount VAT was charged on). What a region without a treatment does.
 * - `reducesTaxableAmount`: the discount reduces the taxable amount, so the tax it contains is given back in the period the
 *   discount is taken (the EU: VAT Directive 2006/112/EC, art. 79(a) and 90; Germany: UStG section 17).
 */
export const EarlyPaymentDiscountTreatment = z.enum(['financeCost', 'reducesTaxableAmount']);
export type EarlyPaymentDiscountTreatment = z.infer<typeof EarlyPaymentDiscountTreatment>;

/** Sets the region's treatment of early-payment discounts from `validFrom` on (not before it is set). */
export const SetEarlyPaymentDiscountTreatment = z.strictObject({
  type: z.literal('SetEarlyPaymentDiscountTreatment'),
  data: z.strictObject({ region: RegionId, treatment: EarlyPaymentDiscountTreatment, validFrom: IsoDateTime, setAt: IsoDateTime }),
});
export const TaxRateCommand = z.discriminatedUnion('type', [PublishTaxRate, EndTaxRate, SetEarlyPaymentDiscountTreatment]);
export type TaxRateCommand = z.infer<typeof TaxRateCommand>;

export const TaxRatePublished = z.object({
  type: z.literal('TaxRatePublished'),
  data: z.object({
    region: Id,
    rateId: Id,
    category: TaxCategory,
    rateBps: TaxRateBps,
    validFrom: IsoDateTime,
    validTo: IsoDateTime.optional(),
    name: z.string().optional(),
    publishedAt: IsoDateTime,
  }),
});
/** A rate's end brought forward: by a person, or because a newer open-ended rate (`supersededBy`) starts then. */
export const TaxRateEnded = z.object({
  type: z.literal('TaxRateEnded'),
  data: z.object({ region: Id, rateId: Id, validTo: IsoDateTime, endedAt: IsoDateTime, supersededBy: Id.optional() }),
});
export const EarlyPaymentDiscountTreatmentSet = z.object({
  type: z.literal('EarlyPaymentDiscountTreatmentSet'),
  data: z.object({ region: Id, treatment: EarlyPaymentDiscountTreatment, validFrom: IsoDateTime, setAt: IsoDateTime }),
});
export const TaxRateEvent = z.discriminatedUnion('type', [TaxRatePublished, TaxRateEnded, EarlyPaymentDiscountTreatmentSet]);
export type TaxRateEvent = z.infer<typeof TaxRateEvent>;

export interface TaxRate {
  readonly rateId: string;
  readonly category: TaxCategory;
  readonly rateBps: number;
  readonly validFrom: string;
  readonly validTo?: string;
  readonly name?: string;
}

export interface TaxRateTableState {
  readonly rates: readonly TaxRate[];
  /** The region's treatments of early-payment discounts, oldest first (absent: `financeCost` throughout). */
  readonly discountTreatments?: readonly { readonly treatment: EarlyPaymentDiscountTreatment; readonly validFrom: string }[];
}

export const taxRateStream = (region: string): string => `taxrates-${region}`;

const ms = (iso: string): number => Date.parse(iso);
const end = (r: { validTo?: string | undefined }): number => (r.validTo === undefined ? Number.POSITIVE_INFINITY : ms(r.validTo));
const inForce = (r: TaxRate, at: string): boolean => ms(r.validFrom) <= ms(at) && ms(at) < end(r);

/** The rate of `category` in force at `at` (never more than one: see the rules above). */
export const rateInForce = (table: TaxRateTableState, category: TaxCategory, at: string): TaxRate | undefined =>
  table.rates.find((r) => r.category === category && inForce(r, at));

/** The region's treatment of early-payment discounts in force at `at`: the latest set to start by then, else `financeCost`. */
export const discountTreatmentAt = (table: TaxRateTableState, at: string): EarlyPaymentDiscountTreatment =>
  (table.discountTreatments ?? []).filter((t) => ms(t.validFrom) <= ms(at)).at(-1)?.treatment ?? 'financeCost';

/** What a line pays: its category, the rate in basis points and the rate's id (absent for `zero` and `exempt`). */
export interface LineTaxRate {
  readonly category: TaxCategory;
  readonly rateBps: number;
  readonly rateId?: string;
}

/**
 * The tax rate of a line of `category` placed at `at` in a region with rate table `table`. A region is untaxed until its
 * first rate takes effect (undefined: the line carries no tax, as every order did before tax existed; a rate published
 * today for next month does not refuse today's orders). From then on `zero` and `exempt` pay 0, and `standard` or
 * `reduced` without a rate in force is refused.
 */
export const lineTaxRate = (table: TaxRateTableState, region: string, category: TaxCategory, at: string): Either<DomainError, LineTaxRate | undefined> => {
  if (!table.rates.some((r) => ms(r.validFrom) <= ms(at))) return right(undefined);
  if (!RATED_CATEGORIES.includes(category)) return right({ category, rateBps: 0 });
  const rate = rateInForce(table, category, at);
  if (!rate)
    return refuse('TAX_RATE_NOT_FOUND', `Region ${region} has no ${category} tax rate in force at ${at}; publish one (dms tax publish) before taking orders.`, {
      region,
      category,
      at,
    });
  return right({ category, rateBps: rate.rateBps, rateId: rate.rateId });
};

/** A line's amounts once taxed: `net + tax = gross`, all in minor units. */
export interface TaxedAmount {
  readonly net: Money;
  readonly tax: Money;
  readonly gross: Money;
}

/**
 * THE rounding rule (the only place tax is computed): tax is computed **per line** on the line's amount after discounts and
 * promotions, and rounded **half up to the minor unit** once per line.
 * - prices entered net: `tax = round(amount x rate / 10000)`, `gross = amount + tax`;
 * - prices entered gross: `tax = round(amount x rate / (10000 + rate))`, `net = amount - tax`.
 * Totals (of an order, invoice, credit note, report) are sums of line amounts, so they always add up exactly.
 */
export const taxLine = (amount: Money, rateBps: number, pricesInclude: PricesInclude): TaxedAmount => {
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > 10_000) throw new RangeError('rateBps must be an integer from 0 to 10000');
  const a = BigInt(amount.amountMinor);
  const r = BigInt(rateBps);
  const m = (n: bigint): Money => ({ amountMinor: Number(n), currency: amount.currency });
  if (pricesInclude === 'gross') {
    const tax = divideRoundHalfUp(a * r, 10_000n + r);
    return { net: m(a - tax), tax: m(tax), gross: amount };
  }
  const tax = divideRoundHalfUp(a * r, 10_000n);
  const gross = a + tax;
  if (gross > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('the gross amount exceeds the largest amount DMS can represent exactly');
  return { net: amount, tax: m(tax), gross: m(gross) };
};

/** One line of an invoice: its net and tax on that invoice (the whole line, or the line's share of a shipment's invoice). */
export interface InvoiceTaxLine {
  readonly lineNo: number;
  readonly net: Money;
  readonly tax: Money;
}

/**
 * The net and tax an early-payment discount of `discount` (gross, as invoices and payments are) takes back from each line
 * of its invoice, where the discount reduces the taxable amount. The discount is split over the lines by their gross
 * (largest remainders, so the shares add up to the discount exactly), and each line's share into tax and net by the
 * line's own tax/gross, rounded half up: `tax = round(share x tax / gross)`, `net = share - tax`. So the tax given back
 * is at each line's own rate, and net + tax of the parts is the discount to the cent. Lines whose gross is zero take none.
 */
export const discountTaxShares = (discount: Money, lines: readonly InvoiceTaxLine[]): InvoiceTaxLine[] => {
  const gross = lines.map((l) => l.net.amountMinor + l.tax.amountMinor);
  if (lines.length === 0 || gross.every((g) => g <= 0)) return [];
  const shares = allocate(
    discount,
    gross.map((g) => Math.max(g, 0)),
  );
  return lines.flatMap((l, i) => {
    const share = shares[i]!;
    const g = gross[i]!;
    if (g <= 0 || share.amountMinor === 0) return [];
    const tax = Number(divideRoundHalfUp(BigInt(share.amountMinor) * BigInt(l.tax.amountMinor), BigInt(g)));
    return [
      { lineNo: l.lineNo, net: { amountMinor: share.amountMinor - tax, currency: discount.currency }, tax: { amountMinor: tax, currency: discount.currency } },
    ];
  });
};

const list = (region: string) => `the tax rates of ${region}`;

const decidePublish = (
  state: TaxRateTableState,
  data: Extract<TaxRateCommand, { type: 'PublishTaxRate' }>['data'],
): Either<DomainError, readonly TaxRateEvent[]> => {
  const { region, rateId, category, validFrom, validTo, publishedAt } = data;
  if (state.rates.some((r) => r.rateId === rateId))
    return refuse('TAX_RATE_EXISTS', `${list(region)} already have a rate ${rateId}; publish under a new rate id.`, { region, rateId });
  if (!RATED_CATEGORIES.includes(category))
    return refuse('TAX_CATEGORY_NOT_RATED', `Category ${category} is always taxed at 0 %; only ${RATED_CATEGORIES.join(' and ')} take a rate.`, { category });
  if (ms(validFrom) < ms(publishedAt))
    return refuse(
      'TAX_RATE_BACKDATED',
      `Rate ${rateId} would start at ${validFrom}, before it is published (${publishedAt}): orders placed since were taxed without it.`,
      {
        rateId,
        validFrom,
        publishedAt,
      },
    );
  if (validTo !== undefined && ms(validTo) <= ms(validFrom))
    return refuse('INVALID_VALIDITY', `Rate ${rateId} must end after it starts (${validFrom} to ${validTo}).`, { rateId, validFrom, validTo });
  let supersedes: TaxRate | undefined;
  for (const r of state.rates) {
    if (r.category !== category) continue;
    const overlaps = ms(r.validFrom) < end(data) && ms(validFrom) < end(r);
    if (!overlaps) continue;
    if (r.validTo === undefined && validTo === undefined && ms(r.validFrom) < ms(validFrom)) {
      supersedes = r;
      continue;
    }
    return refuse(
      'TAX_RATE_OVERLAP',
      `Rate ${rateId} (${category}, ${validFrom} to ${validTo ?? 'open'}) overlaps rate ${r.rateId} (${r.validFrom} to ${r.validTo ?? 'open'}) in ${region}; end that rate first.`,
      { rateId, overlaps: r.rateId },
    );
  }
  const { publishedAt: _, ...content } = data;
  const events: TaxRateEvent[] = [];
  if (supersedes)
    events.push({ type: 'TaxRateEnded', data: { region, rateId: supersedes.rateId, validTo: validFrom, endedAt: publishedAt, supersededBy: rateId } });
  events.push({ type: 'TaxRatePublished', data: { ...content, publishedAt } });
  return right(events);
};

const decideEnd = (state: TaxRateTableState, data: Extract<TaxRateCommand, { type: 'EndTaxRate' }>['data']): Either<DomainError, readonly TaxRateEvent[]> => {
  const { region, rateId, validTo, endedAt } = data;
  const rate = state.rates.find((r) => r.rateId === rateId);
  if (!rate) return refuse('TAX_RATE_NOT_FOUND', `${list(region)} have no rate ${rateId}.`, { region, rateId });
  if (ms(validTo) < ms(endedAt))
    return refuse('TAX_RATE_BACKDATED', `Rate ${rateId} cannot end at ${validTo}, before now (${endedAt}): orders placed since were taxed by it.`, {
      rateId,
      validTo,
      endedAt,
    });
  if (ms(validTo) <= ms(rate.validFrom))
    return refuse('INVALID_VALIDITY', `Rate ${rateId} starts at ${rate.validFrom}; it must end after that.`, { rateId, validFrom: rate.validFrom, validTo });
  if (ms(validTo) >= end(rate))
    return refuse('TAX_RATE_END_NOT_EARLIER', `Rate ${rateId} already ends at ${rate.validTo}; an end can only be brought forward.`, {
      rateId,
      currentValidTo: rate.validTo,
      validTo,
    });
  return right([{ type: 'TaxRateEnded', data: { region, rateId, validTo, endedAt } }]);
};

const decideTreatment = (
  state: TaxRateTableState,
  data: Extract<TaxRateCommand, { type: 'SetEarlyPaymentDiscountTreatment' }>['data'],
): Either<DomainError, readonly TaxRateEvent[]> => {
  const { region, treatment, validFrom, setAt } = data;
  if (ms(validFrom) < ms(setAt))
    return refuse(
      'TAX_TREATMENT_BACKDATED',
      `The treatment of early-payment discounts in ${region} cannot start at ${validFrom}, before it is set (${setAt}): orders placed since were taxed without it.`,
      { region, validFrom, setAt },
    );
  const latest = (state.discountTreatments ?? []).at(-1);
  if (latest && ms(validFrom) < ms(latest.validFrom))
    return refuse(
      'TAX_TREATMENT_OUT_OF_ORDER',
      `${region} already has a treatment of early-payment discounts from ${latest.validFrom}; a new one can only start then or later.`,
      { region, validFrom, latestValidFrom: latest.validFrom },
    );
  if (treatment === discountTreatmentAt(state, validFrom))
    return refuse('TAX_TREATMENT_UNCHANGED', `Early-payment discounts in ${region} are already treated as ${treatment} from ${validFrom}.`, {
      region,
      treatment,
    });
  return right([{ type: 'EarlyPaymentDiscountTreatmentSet', data: { region, treatment, validFrom, setAt } }]);
};

export const evolveTaxRates = (state: TaxRateTableState, event: TaxRateEvent): TaxRateTableState => {
  switch (event.type) {
    case 'EarlyPaymentDiscountTreatmentSet': {
      const { treatment, validFrom } = event.data;
      // One starting at the same moment as the latest replaces it.
      const earlier = (state.discountTreatments ?? []).filter((t) => ms(t.validFrom) < ms(validFrom));
      return { ...state, discountTreatments: [...earlier, { treatment, validFrom }] };
    }
    case 'TaxRatePublished': {
      const { rateId, category, rateBps, validFrom, validTo, name } = event.data;
      const rate: TaxRate = { rateId, category, rateBps, validFrom, ...(validTo ? { validTo } : {}), ...(name ? { name } : {}) };
      return { ...state, rates: [...state.rates, rate] };
    }
    case 'TaxRateEnded':
      return { ...state, rates: state.rates.map((r) => (r.rateId === event.data.rateId ? { ...r, validTo: event.data.validTo } : r)) };
  }
};

export const decideTaxRates = (command: TaxRateCommand, state: TaxRateTableState): Either<DomainError, readonly TaxRateEvent[]> =>
  command.type === 'PublishTaxRate'
    ? decidePublish(state, command.data)
    : command.type === 'EndTaxRate'
      ? decideEnd(state, command.data)
      : decideTreatment(state, command.data);

export const taxRateDecider: Decider<TaxRateCommand, TaxRateEvent, TaxRateTableState> = {
  initialState: { rates: [] },
  decide: decideTaxRates,
  evolve: evolveTaxRates,
};
