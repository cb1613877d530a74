import { useCallback, useSyncExternalStore } from 'react';

export interface CartLine {
  readonly sku: string;
  readonly quantity: number;
}

/**
 * The dealer's cart, kept in this browser per signed-in user, so that it survives a reload, a closed tab and going offline.
 * Prices are never stored: they come from the catalogue at the dealer's tier when shown, and from the API when ordered.
 */
const keyOf = (userId: string) => `dms.cart.${userId}`;
const listeners = new Set<() => void>();
const cache = new Map<string, readonly CartLine[]>();

const read = (userId: string): readonly CartLine[] => {
  const cached = cache.get(userId);
  if (cached) return cached;
  let lines: CartLine[] = [];
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(keyOf(userId)) ?? '[]');
    if (Array.isArray(parsed)) lines = parsed.filter((l): l is CartLine => typeof l?.sku === 'string' && Number.isInteger(l?.quantity) && l.quantity > 0);
  } catch {
    // A damaged entry is an empty cart.
  }
  cache.set(userId, lines);
  return lines;
};

const write = (userId: string, lines: readonly CartLine[]) => {
  cache.set(userId, lines);
  localStorage.setItem(keyOf(userId), JSON.stringify(lines));
  for (const l of listeners) l();
};

if (typeof window !== 'undefined') {
  // Another tab changed the cart.
  window.addEventListener('storage', (e) => {
    if (e.key?.startsWith('dms.cart.')) {
      cache.clear();
      for (const l of listeners) l();
    }
  });
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const MAX_QUANTITY = 9999;

export const useCart = (userId: string) => {
  const lines = useSyncExternalStore(subscribe, () => read(userId));
  const setQuantity = useCallback(
    (sku: string, quantity: number) => {
      const current = read(userId);
      const q = Math.min(MAX_QUANTITY, Math.max(0, Math.floor(quantity)));
      const rest = current.filter((l) => l.sku !== sku);
      const at = current.findIndex((l) => l.sku === sku);
      if (q === 0) write(userId, rest);
      else if (at < 0) write(userId, [...current, { sku, quantity: q }]);
      else
        write(
          userId,
          current.map((l) => (l.sku === sku ? { sku, quantity: q } : l)),
        );
    },
    [userId],
  );
  const add = useCallback(
    (sku: string, quantity: number) => setQuantity(sku, (read(userId).find((l) => l.sku === sku)?.quantity ?? 0) + quantity),
    [userId, setQuantity],
  );
  const replace = useCallback((next: readonly CartLine[]) => write(userId, next), [userId]);
  const clear = useCallback(() => write(userId, []), [userId]);
  const count = lines.reduce((n, l) => n + l.quantity, 0);
  return { lines, count, add, setQuantity, replace, clear };
};
