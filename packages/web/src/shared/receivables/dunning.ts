/** The names the API gives the default dunning levels (in English), as catalogue keys; an agreement may name its own. */
const LEVEL_KEYS: Record<string, LevelKey> = {
  reminder: 'reminder',
  'second reminder': 'secondReminder',
  'final notice': 'finalNotice',
};
export type LevelKey = 'reminder' | 'secondReminder' | 'finalNotice';
/** The default levels' names (docs/receivables.md#dunning), for an invoice whose agreement sets none. */
export const DEFAULT_LEVELS = ['reminder', 'second reminder', 'final notice'];
/** A level's tag colour, from the first reminder (gold) to the third and beyond (red). */
export const LEVEL_COLOR = ['default', 'gold', 'orange', 'red'];

/**
 * A dunning level as "2 · Second reminder": its name is the API's for the level reached (a default one translated by
 * `named`, an agreement's own shown as given), else only its number (`numbered`: "Level 4"). Used by the console's
 * dunning and the dealer's own view in the portal, each with its own section of the catalogue.
 */
export const levelLabel = (level: number, name: string | null | undefined, named: (key: LevelKey) => string, numbered: (level: number) => string) => {
  const key = name ? LEVEL_KEYS[name.toLowerCase()] : undefined;
  const shown = key ? named(key) : name;
  return shown ? `${level} · ${shown}` : numbered(level);
};
