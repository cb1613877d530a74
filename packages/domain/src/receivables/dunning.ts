/**
 * Dunning: the reminders an overdue invoice earns, by level, as ERPNext's dunning types and Odoo's follow-up levels send
 * them. An invoice is at the highest level whose threshold its days past due have reached; not yet due (or due today)
 * is level 0, nothing to send. The thresholds are DMS's defaults for every agreement (the agreement's payment terms do
 * not set them).
 */

export interface DunningLevel {
  /** 1, 2, 3: each later level is sent at more days past due than the one before. */
  readonly level: number;
  /** The first day past due at which the level is reached. */
  readonly fromDaysPastDue: number;
  readonly name: { readonly 'zh-CN': string; readonly en: string };
}

export const DUNNING_LEVELS: readonly DunningLevel[] = [
  { level: 1, fromDaysPastDue: 1, name: { 'zh-CN': '付款提醒', en: 'reminder' } },
  { level: 2, fromDaysPastDue: 15, name: { 'zh-CN': '第二次付款提醒', en: 'second reminder' } },
  { level: 3, fromDaysPastDue: 30, name: { 'zh-CN': '最后通知', en: 'final notice' } },
];

/** The level from which the sales team of the dealer's region is told too, beside the dealer. */
export const DUNNING_SALES_FROM_LEVEL = 2;

/** The dunning level of an invoice `daysPastDue` days past its due date: 0 when it is not past due. */
export const dunningLevelOf = (daysPastDue: number): number => DUNNING_LEVELS.reduce((reached, l) => (daysPastDue >= l.fromDaysPastDue ? l.level : reached), 0);

export const dunningLevel = (level: number): DunningLevel | undefined => DUNNING_LEVELS.find((l) => l.level === level);
