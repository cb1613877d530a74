import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { TierId } from '../partners/commands';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { IsoDateTime } from '../shared/ids';
import { DEFAULT_SCORECARD_TEMPLATE, ScorecardTemplate, validateTemplate } from './scorecard';

/**
 * The channel's scorecard configuration, one stream (`scorecardconfig-manufacturer`): a scorecard template per tier (and
 * a default one for tiers without their own), each change a new version, and the tier ladder reviews promote and demote
 * along. Scorecards record which template version scored them.
 */
export const SCORECARD_CONFIG_STREAM = 'scorecardconfig-manufacturer';

export const SetScorecardTemplate = z.strictObject({
  type: z.literal('SetScorecardTemplate'),
  data: z.strictObject({
    tier: TierId.optional().describe('The tier it scores; without one, the default for tiers that have none of their own'),
    template: ScorecardTemplate,
    setAt: IsoDateTime,
  }),
});

/** The tiers from the lowest to the highest. */
export const SetTierLadder = z.strictObject({
  type: z.literal('SetTierLadder'),
  data: z.strictObject({ tiers: z.array(TierId).min(2).max(20), setAt: IsoDateTime }),
});

export const ScorecardConfigCommand = z.discriminatedUnion('type', [SetScorecardTemplate, SetTierLadder]);
export type ScorecardConfigCommand = z.infer<typeof ScorecardConfigCommand>;

export const ScorecardTemplateSet = z.object({
  type: z.literal('ScorecardTemplateSet'),
  data: z.object({ tier: TierId.optional(), version: z.number().int().min(1), template: ScorecardTemplate, setAt: IsoDateTime }),
});
export const TierLadderSet = z.object({
  type: z.literal('TierLadderSet'),
  data: z.object({ tiers: z.array(TierId), setAt: IsoDateTime }),
});
export const ScorecardConfigEvent = z.discriminatedUnion('type', [ScorecardTemplateSet, TierLadderSet]);
export type ScorecardConfigEvent = z.infer<typeof ScorecardConfigEvent>;

/** A template as chosen for a tier: its own, the default, or (version 0) the one DMS ships with. */
export interface ChosenTemplate {
  readonly tier?: string;
  readonly version: number;
  readonly template: ScorecardTemplate;
}

export interface ScorecardConfigState {
  /** By tier; the default under `*`. */
  readonly templates: ReadonlyMap<string, ChosenTemplate>;
  readonly ladder: readonly string[];
}

const DEFAULT_KEY = '*';

export const evolveScorecardConfig = (state: ScorecardConfigState, event: ScorecardConfigEvent): ScorecardConfigState => {
  if (event.type === 'TierLadderSet') return { ...state, ladder: event.data.tiers };
  const d = event.data;
  const chosen: ChosenTemplate = { ...(d.tier !== undefined ? { tier: d.tier } : {}), version: d.version, template: d.template };
  return { ...state, templates: new Map(state.templates).set(d.tier ?? DEFAULT_KEY, chosen) };
};

/** The template a dealer of `tier` is scored by. */
export const templateFor = (state: ScorecardConfigState, tier: string): ChosenTemplate =>
  state.templates.get(tier) ?? state.templates.get(DEFAULT_KEY) ?? { version: 0, template: DEFAULT_SCORECARD_TEMPLATE };

export const decideScorecardConfig = (command: ScorecardConfigCommand, state: ScorecardConfigState): Either<DomainError, readonly ScorecardConfigEvent[]> => {
  if (command.type === 'SetTierLadder') {
    const tiers = command.data.tiers;
    const twice = tiers.find((t, i) => tiers.indexOf(t) !== i);
    if (twice) return refuse('TIER_LADDER_INVALID', `Tier ${twice} appears twice on the ladder; list each tier once, lowest first.`, { tier: twice });
    return right([{ type: 'TierLadderSet', data: command.data }]);
  }
  const valid = validateTemplate(command.data.template);
  if (valid._tag === 'Left') return valid;
  const version = (state.templates.get(command.data.tier ?? DEFAULT_KEY)?.version ?? 0) + 1;
  return right([{ type: 'ScorecardTemplateSet', data: { ...command.data, version } }]);
};

export const scorecardConfigDecider: Decider<ScorecardConfigCommand, ScorecardConfigEvent, ScorecardConfigState> = {
  initialState: { templates: new Map(), ladder: [] },
  decide: decideScorecardConfig,
  evolve: evolveScorecardConfig,
};
