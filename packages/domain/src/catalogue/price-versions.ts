import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { type DomainError, refuse } from '../shared/errors';
import { Id, IsoDateTime, Sku } from '../shared/ids';
import { Currency, type Money, NonNegativeMoney } from '../shared/money';
import { PricesInclude } from '../tax/tax';

/**
 * Dated price-list versions with quantity breaks, shared by a tier's price list (`pricelist-<tier>`) and a dealer's own
 * (`dealerprices-<partnerId>`). A version is in force from `validFrom` (inclusive) to `validTo` (exclusive, open-ended when
 * absent). The rules that keep "the version in force" well defined:
 * - versions of one list never overlap, so at most one is in force at any instant;
 * - a new open-ended version supersedes the open-ended version that started before it: that one ends where the new one starts;
 *   every other overlap is refused (end the older version first);
 * - nothing starts or ends before the moment it is decided (`publishedAt`, `endedAt`), so what was in force when an order was
 *   placed never changes afterwards.
 */

/** From `minQuantity` units on a line, each unit costs `unitPrice`. */
export const PriceBreak = z.strictObject({ minQuantity: z.number().int().min(2).max(1_000_000), unitPrice: NonNegativeMoney });
export type PriceBreak = z.infer<typeof PriceBreak>;

/** A SKU's price in a version: `unitPrice` from one unit, lower prices from each break's quantity on. */
export const VersionPrice = z.strictObject({ sku: Sku, unitPrice: NonNegativeMoney, breaks: z.array(PriceBreak).max(20).optional() });
export type VersionPrice = z.infer<typeof VersionPrice>;

export const PriceVersionContent = z.strictObject({
  versionId: Id,
  validFrom: IsoDateTime,
  validTo: IsoDateTime.optional(),
  currency: Currency,
  /** Whether the prices include tax (`gross`) or not (`net`, the default: every version published before tax is net). */
  pricesInclude: PricesInclude.optional(),
  prices: z.array(VersionPrice).min(1).max(2_000),
});
export type PriceVersionContent = z.infer<typeof PriceVersionContent>;

/** A published version as it stands now (its `validTo` may have been brought forward since). */
export interface PriceVersion {
  readonly versionId: string;
  readonly validFrom: string;
  readonly validTo?: string;
  readonly currency: string;
  /** `net` unless the version says its prices include tax. */
  readonly pricesInclude: PricesInclude;
  readonly prices: ReadonlyMap<string, VersionPrice>;
}

const ms = (iso: string): number => Date.parse(iso);
const end = (v: { validTo?: string | undefined }): number => (v.validTo === undefined ? Number.POSITIVE_INFINITY : ms(v.validTo));

/** Whether `version` is in force at the instant `at`. */
export const inForce = (version: Pick<PriceVersion, 'validFrom' | 'validTo'>, at: string): boolean => ms(version.validFrom) <= ms(at) && ms(at) < end(version);

/** The version in force at `at`, if any (never more than one: see the rules above). */
export const versionInForce = (versions: readonly PriceVersion[], at: string): PriceVersion | undefined => versions.find((v) => inForce(v, at));

/** The unit price of `quantity` units: the price of the highest break reached, else the version's base price (from 1). */
export const breakPrice = (price: VersionPrice, quantity: number): { unitPrice: Money; minQuantity: number } => {
  let found = { unitPrice: price.unitPrice, minQuantity: 1 };
  for (const b of price.breaks ?? []) if (quantity >= b.minQuantity) found = { unitPrice: b.unitPrice, minQuantity: b.minQuantity };
  return found;
};

/** A version's own consistency: dates in order and not back-dated, one entry per SKU, one currency, breaks rising and cheaper. */
export const validateVersionContent = (content: PriceVersionContent, publishedAt: string, list: string): Either<DomainError, true> => {
  const { versionId, validFrom, validTo, currency } = content;
  if (ms(validFrom) < ms(publishedAt)) {
    return refuse('PRICE_VERSION_BACKDATED', `Version ${versionId} of ${list} would start at ${validFrom}, before it is published (${publishedAt}).`, {
      versionId,
      validFrom,
      publishedAt,
    });
  }
  if (validTo !== undefined && ms(validTo) <= ms(validFrom)) {
    return refuse('INVALID_VALIDITY', `Version ${versionId} of ${list} must end after it starts (${validFrom} to ${validTo}).`, {
      versionId,
      validFrom,
      validTo,
    });
  }
  const seen = new Set<string>();
  for (const price of content.prices) {
    if (seen.has(price.sku)) return refuse('DUPLICATE_SKU', `SKU ${price.sku} appears twice in version ${versionId}; give it one entry.`, { sku: price.sku });
    seen.add(price.sku);
    const amounts = [price.unitPrice, ...(price.breaks ?? []).map((b) => b.unitPrice)];
    const foreign = amounts.find((m) => m.currency !== currency);
    if (foreign) {
      return refuse('CURRENCY_MISMATCH', `SKU ${price.sku}: version ${versionId} is in ${currency}, not ${foreign.currency}.`, {
        sku: price.sku,
        expected: currency,
        found: foreign.currency,
      });
    }
    let previous = { minQuantity: 1, unitPrice: price.unitPrice };
    for (const b of price.breaks ?? []) {
      if (b.minQuantity <= previous.minQuantity) {
        return refuse(
          'PRICE_BREAKS_INVALID',
          `SKU ${price.sku}: the break at ${b.minQuantity} must come after the one at ${previous.minQuantity}; list breaks from the smallest quantity up.`,
          {
            sku: price.sku,
            minQuantity: b.minQuantity,
          },
        );
      }
      if (b.unitPrice.amountMinor > previous.unitPrice.amountMinor) {
        return refuse(
          'PRICE_BREAKS_INVALID',
          `SKU ${price.sku}: ${b.minQuantity} units would cost more each than ${previous.minQuantity}; a larger quantity must never raise the unit price.`,
          {
            sku: price.sku,
            minQuantity: b.minQuantity,
          },
        );
      }
      previous = b;
    }
  }
  return right(true);
};

/**
 * Decides publishing `content` next to `versions`: the open-ended version it supersedes (ended where it starts), or the
 * overlap that refuses it.
 */
export const decidePublishVersion = (
  versions: readonly PriceVersion[],
  content: PriceVersionContent,
  publishedAt: string,
  list: string,
): Either<DomainError, { readonly supersedes?: PriceVersion }> => {
  if (versions.some((v) => v.versionId === content.versionId)) {
    return refuse('PRICE_VERSION_EXISTS', `${list} already has a version ${content.versionId}; publish under a new version id.`, {
      versionId: content.versionId,
    });
  }
  const valid = validateVersionContent(content, publishedAt, list);
  if (valid._tag === 'Left') return valid;
  let supersedes: PriceVersion | undefined;
  for (const v of versions) {
    const overlaps = ms(v.validFrom) < end(content) && ms(content.validFrom) < end(v);
    if (!overlaps) continue;
    if (v.validTo === undefined && content.validTo === undefined && ms(v.validFrom) < ms(content.validFrom)) {
      supersedes = v;
      continue;
    }
    return refuse(
      'PRICE_VERSION_OVERLAP',
      `Version ${content.versionId} of ${list} (${content.validFrom} to ${content.validTo ?? 'open'}) overlaps version ${v.versionId} (${v.validFrom} to ${v.validTo ?? 'open'}); end that version first.`,
      { versionId: content.versionId, overlaps: v.versionId },
    );
  }
  return right(supersedes ? { supersedes } : {});
};

/** Decides bringing a version's end forward to `validTo` (never back-dated, never later than it was, never before it starts). */
export const decideEndVersion = (
  versions: readonly PriceVersion[],
  request: { readonly versionId: string; readonly validTo: string; readonly endedAt: string },
  list: string,
): Either<DomainError, true> => {
  const { versionId, validTo, endedAt } = request;
  const version = versions.find((v) => v.versionId === versionId);
  if (!version) return refuse('PRICE_VERSION_NOT_FOUND', `${list} has no version ${versionId}.`, { versionId });
  if (ms(validTo) < ms(endedAt)) {
    return refuse('PRICE_VERSION_BACKDATED', `Version ${versionId} cannot end at ${validTo}, before now (${endedAt}): orders placed since were priced by it.`, {
      versionId,
      validTo,
      endedAt,
    });
  }
  if (ms(validTo) <= ms(version.validFrom)) {
    return refuse('INVALID_VALIDITY', `Version ${versionId} starts at ${version.validFrom}; it must end after that.`, {
      versionId,
      validFrom: version.validFrom,
      validTo,
    });
  }
  if (ms(validTo) >= end(version)) {
    return refuse('PRICE_VERSION_END_NOT_EARLIER', `Version ${versionId} already ends at ${version.validTo}; an end can only be brought forward.`, {
      versionId,
      currentValidTo: version.validTo,
      validTo,
    });
  }
  return right(true);
};

export const versionOf = (content: PriceVersionContent): PriceVersion => ({
  versionId: content.versionId,
  validFrom: content.validFrom,
  ...(content.validTo !== undefined ? { validTo: content.validTo } : {}),
  currency: content.currency,
  pricesInclude: content.pricesInclude ?? 'net',
  prices: new Map(content.prices.map((p) => [p.sku, p])),
});

export const withVersionEnded = (versions: readonly PriceVersion[], versionId: string, validTo: string): PriceVersion[] =>
  versions.map((v) => (v.versionId === versionId ? { ...v, validTo } : v));
