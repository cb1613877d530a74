import { divideRoundHalfUp, type Money } from '../shared/money';
import type { RebateBand, RebateBasis, RebateTerms } from './terms';

export interface Rebate {
  /** The rebate, rounded half up once, on the exact total (never per band). Zero for a volume of zero or less. */
  readonly amount: Money;
  /** Index of the band the volume reached (the first band starts at zero, so a volume of zero or less is in band 0). */
  readonly band: number;
  /** The reached band's rate. */
  readonly rateBps: number;
}

const toSafe = (value: bigint): number => {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('rebate exceeds the largest amount DMS can represent exactly');
  return Number(value);
};

/** The band a volume reaches: the last band whose start is at or below it (-1 only for bands that do not start at zero). */
export const reachedBand = (volumeMinor: number, bands: readonly RebateBand[]): number => {
  let reached = -1;
  bands.forEach((b, i) => {
    if (b.from.amountMinor <= Math.max(0, volumeMinor)) reached = i;
  });
  return reached;
};

/**
 * The rebate earned on a settlement period's volume.
 * - `band_total`: `volume x rate of the reached band`.
 * - `band_marginal`: the sum over bands of `slice of volume inside the band x its rate`.
 * Both are computed exactly in BigInt (basis points x minor units) and rounded half up once at the end. Because bands
 * never lower the rate (see `validateTerms`), the marginal rebate never exceeds the total one for the same volume.
 * A volume of zero or less (credits exceeding invoices) earns nothing.
 */
export const rebateFor = (volume: Money, terms: RebateTerms): Rebate => {
  const bands = terms.bands;
  const band = reachedBand(volume.amountMinor, bands);
  const nothing = { amountMinor: 0, currency: volume.currency };
  if (band < 0) return { amount: nothing, band, rateBps: 0 };
  const rateBps = bands[band]!.rateBps;
  if (volume.amountMinor <= 0) return { amount: nothing, band, rateBps };
  const v = BigInt(volume.amountMinor);
  let exactTimes10k = 0n;
  if (terms.basis === 'band_total') {
    exactTimes10k = v * BigInt(rateBps);
  } else {
    for (let i = 0; i <= band; i++) {
      const from = BigInt(bands[i]!.from.amountMinor);
      const until = i < band ? BigInt(bands[i + 1]!.from.amountMinor) : v;
      exactTimes10k += (until - from) * BigInt(bands[i]!.rateBps);
    }
  }
  return { amount: { amountMinor: toSafe(divideRoundHalfUp(exactTimes10k, 10_000n)), currency: volume.currency }, band, rateBps };
};

export interface RebateProgress extends Rebate {
  readonly basis: RebateBasis;
  readonly volume: Money;
  /** The next band up, how much more volume reaches it, and the rebate the period would earn right at its start. */
  readonly next: { readonly band: number; readonly from: Money; readonly rateBps: number; readonly remaining: Money; readonly rebateAtStart: Money } | null;
}

/** Where a period's volume stands: the rebate earned so far and the distance to the next band. */
export const rebateProgress = (volume: Money, terms: RebateTerms): RebateProgress => {
  const earned = rebateFor(volume, terms);
  const reached = Math.max(0, volume.amountMinor);
  const nextIndex = terms.bands.findIndex((b) => b.from.amountMinor > reached);
  const nextBand = nextIndex >= 0 ? terms.bands[nextIndex]! : undefined;
  return {
    ...earned,
    basis: terms.basis,
    volume,
    next: nextBand
      ? {
          band: nextIndex,
          from: nextBand.from,
          rateBps: nextBand.rateBps,
          remaining: { amountMinor: nextBand.from.amountMinor - reached, currency: volume.currency },
          rebateAtStart: rebateFor(nextBand.from, terms).amount,
        }
      : null,
  };
};
