import { z } from 'zod';
import { NonEmptyText } from '../shared/text';

/**
 * Dunning: the reminders an overdue invoice earns, by level, as ERPNext's dunning types and Odoo's follow-up levels send
 * them. An invoice is at the highest level whose threshold its days past due have reached; not yet due (or due today)
 * is level 0, nothing to send. An agreement may set its own levels (`dunning` in its terms); without them, DMS's
 * defaults (`DUNNING_LEVELS`) apply.
 */

/** Who a level tells: the dealer (its finance contact), the manufacturer's sales team of the dealer's region, or both. */
export const DunningAudience = z.enum(['dealer', 'sales']);
export type DunningAudience = z.infer<typeof DunningAudience>;

/** At most this many levels per agreement. */
export const MAX_DUNNING_LEVELS = 5;

/** One level an agreement sets: from how many days past due, who is told, and (optionally) what it is called. */
export const DunningLevelTerms = z.strictObject({
  fromDaysPastDue: z.number().int().min(1).max(365),
  tell: z.array(DunningAudience).min(1, 'tell at least the dealer or the sales team').max(2),
  name: z.strictObject({ 'zh-CN': NonEmptyText(40), en: NonEmptyText(40) }).optional(),
});
export type DunningLevelTerms = z.infer<typeof DunningLevelTerms>;

/**
 * An agreement's dunning levels (docs/receivables.md#dunning): one to five, listed from the first reminder up, each
 * reached at more days past due than the one before; level n is the n-th listed.
 */
export const DunningTerms = z
  .strictObject({
    levels: z.array(DunningLevelTerms).min(1, 'give at least one level').max(MAX_DUNNING_LEVELS, `give at most ${MAX_DUNNING_LEVELS} levels`),
  })
  .superRefine((t, ctx) => {
    t.levels.forEach((level, i) => {
      const before = t.levels[i - 1];
      if (before && level.fromDaysPastDue <= before.fromDaysPastDue)
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'fromDaysPastDue'],
          message: `level ${i + 1} (from ${level.fromDaysPastDue} days past due) must start after level ${i} (from ${before.fromDaysPastDue} days): levels rise`,
        });
      if (new Set(level.tell).size !== level.tell.length)
        ctx.addIssue({ code: 'custom', path: ['levels', i, 'tell'], message: `level ${i + 1} names the same audience twice` });
    });
  });
export type DunningTerms = z.infer<typeof DunningTerms>;

export interface DunningLevel {
  /** 1, 2, 3...: each later level is sent at more days past due than the one before. */
  readonly level: number;
  /** The first day past due at which the level is reached. */
  readonly fromDaysPastDue: number;
  readonly name: { readonly 'zh-CN': string; readonly en: string };
  /** Who is told when the invoice reaches the level. */
  readonly tell: readonly DunningAudience[];
}

/** DMS's levels, for an invoice whose agreement sets none (or that no agreement governs). */
export const DUNNING_LEVELS: readonly DunningLevel[] = [
  { level: 1, fromDaysPastDue: 1, name: { 'zh-CN': '付款提醒', en: 'reminder' }, tell: ['dealer'] },
  { level: 2, fromDaysPastDue: 15, name: { 'zh-CN': '第二次付款提醒', en: 'second reminder' }, tell: ['dealer', 'sales'] },
  { level: 3, fromDaysPastDue: 30, name: { 'zh-CN': '最后通知', en: 'final notice' }, tell: ['dealer', 'sales'] },
];

const REMINDER = { 'zh-CN': '付款提醒', en: 'reminder' } as const;
const FINAL_NOTICE = { 'zh-CN': '最后通知', en: 'final notice' } as const;

/**
 * The levels of an agreement's dunning terms, numbered from 1; a level without a name is a "reminder", the last of
 * several a "final notice". Without terms: `DUNNING_LEVELS`.
 */
export const dunningLevelsOf = (terms: DunningTerms | undefined): readonly DunningLevel[] =>
  terms
    ? terms.levels.map((l, i) => ({
        level: i + 1,
        fromDaysPastDue: l.fromDaysPastDue,
        name: l.name ?? (i > 0 && i === terms.levels.length - 1 ? FINAL_NOTICE : REMINDER),
        tell: [...DunningAudience.options].filter((a) => l.tell.includes(a)),
      }))
    : DUNNING_LEVELS;

/** The dunning level of an invoice `daysPastDue` days past its due date under `levels`: 0 when it has reached none. */
export const dunningLevelOf = (daysPastDue: number, levels: readonly DunningLevel[] = DUNNING_LEVELS): number =>
  levels.reduce((reached, l) => (daysPastDue >= l.fromDaysPastDue ? l.level : reached), 0);

export const dunningLevel = (level: number, levels: readonly DunningLevel[] = DUNNING_LEVELS): DunningLevel | undefined =>
  levels.find((l) => l.level === level);

/** The next level an invoice `daysPastDue` days past due will reach, or undefined at the last. */
export const nextDunningLevel = (daysPastDue: number, levels: readonly DunningLevel[] = DUNNING_LEVELS): DunningLevel | undefined =>
  levels.find((l) => l.fromDaysPastDue > daysPastDue);
