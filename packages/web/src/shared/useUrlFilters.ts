import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters that live in the URL (so a filtered list can be bookmarked, shared and reloaded): the given keys, each a string,
 * absent when empty. Setting one replaces the history entry rather than adding one per keystroke.
 */
export const useUrlFilters = <K extends string>(keys: readonly K[]) => {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>, [params, keys]);
  const set = useCallback(
    (changes: Partial<Record<K, string | null | undefined>>) =>
      setParams(
        (p) => {
          for (const [k, v] of Object.entries(changes) as [K, string | null | undefined][]) {
            if (v) p.set(k, v);
            else p.delete(k);
          }
          return p;
        },
        { replace: true },
      ),
    [setParams],
  );
  const clear = useCallback(() => set(Object.fromEntries(keys.map((k) => [k, null])) as Partial<Record<K, null>>), [keys, set]);
  return { values, set, clear, active: keys.some((k) => values[k]) };
};

export type UrlFilters<K extends string> = ReturnType<typeof useUrlFilters<K>>;

/** The query-string object for the API: only the filters that are set. */
export const setOnly = <T extends Record<string, string>>(values: T): Partial<T> =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')) as Partial<T>;
