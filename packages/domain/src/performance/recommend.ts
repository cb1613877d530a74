import { z } from 'zod';
import type { Grade } from './scorecard';

/** What a review proposes doing about a dealer; a person accepts or rejects it, and only then does anything happen. */
export const RECOMMENDATION_KINDS = ['keep_tier', 'promote', 'demote', 'watch_list', 'do_not_renew'] as const;
export const RecommendationKind = z.enum(RECOMMENDATION_KINDS);
export type RecommendationKind = z.infer<typeof RecommendationKind>;

export const Recommendation = z.object({
  kind: RecommendationKind,
  fromTier: z.string(),
  /** For `promote` and `demote`: the tier proposed. */
  toTier: z.string().optional(),
  reason: z.string(),
});
export type Recommendation = z.infer<typeof Recommendation>;

export interface RecommendInput {
  readonly period: string;
  readonly grade: Grade | null;
  /** The grade of the review before (the previous period), if there was one. */
  readonly previous?: { readonly period: string; readonly grade: Grade | null } | undefined;
  readonly tier: string;
  /** Tiers from the lowest to the highest; a tier not on it is neither promoted nor demoted. */
  readonly ladder: readonly string[];
}

/**
 * The recommendation a scorecard leads to:
 *
 * - A twice running: promote to the next tier up (keep the tier at the top of the ladder);
 * - D twice running: demote to the next tier down, or do not renew the agreement at the bottom of the ladder;
 * - D, or C after C or D: put the dealer on the watch list;
 * - otherwise: keep the tier.
 *
 * No recommendation without a grade.
 */
export const recommend = (input: RecommendInput): Recommendation | undefined => {
  const { grade, previous, tier, ladder } = input;
  if (grade === null) return undefined;
  const before = previous?.grade ?? null;
  const running = previous ? `grade ${grade} in ${input.period} after ${before ?? 'no grade'} in ${previous.period}` : `grade ${grade} in ${input.period}`;
  const at = ladder.indexOf(tier);
  const keep = (why: string): Recommendation => ({ kind: 'keep_tier', fromTier: tier, reason: `Keep tier ${tier}: ${why}.` });
  if (grade === 'A' && before === 'A') {
    const up = at >= 0 ? ladder[at + 1] : undefined;
    if (!up) return keep(`${running}, but ${at < 0 ? `${tier} is not on the tier ladder` : `${tier} is the top tier`}`);
    return { kind: 'promote', fromTier: tier, toTier: up, reason: `Promote from ${tier} to ${up}: ${running}.` };
  }
  if (grade === 'D' && before === 'D') {
    const down = at > 0 ? ladder[at - 1] : undefined;
    if (down) return { kind: 'demote', fromTier: tier, toTier: down, reason: `Demote from ${tier} to ${down}: ${running}.` };
    return {
      kind: 'do_not_renew',
      fromTier: tier,
      reason: `Do not renew the agreement: ${running}, and ${tier} is ${at < 0 ? 'not on the tier ladder' : 'the lowest tier'}.`,
    };
  }
  if (grade === 'D' || (grade === 'C' && (before === 'C' || before === 'D')))
    return { kind: 'watch_list', fromTier: tier, reason: `Put on the watch list: ${running}.` };
  return keep(running);
};
