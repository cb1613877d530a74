import type { EventFilter, GlobalPosition, RecordedEvent, Subscription, SubscriptionItem } from './port';

export interface PollingSource {
  /**
   * Scans up to `limit` events after `after` in the stable prefix (no earlier event can still appear), matching the filter
   * or not, and returns the matching ones; `scannedTo` is the last position scanned (null if none), so a filtered
   * subscriber moves past events it does not want, and `exhausted` says the scan reached the end of the stable prefix.
   * Scanning a bounded window, rather than searching for `limit` matches, keeps every fetch's cost bounded whatever the
   * filter's selectivity and whatever the query planner believes about it.
   */
  fetch(
    after: GlobalPosition | undefined,
    limit: number,
    filter: EventFilter | undefined,
  ): Promise<{ events: RecordedEvent[]; scannedTo: GlobalPosition | null; exhausted: boolean }>;
  /** Resolves when new events may be available, or after `timeoutMs`. */
  waitForChange(timeoutMs: number, signal: AbortSignal): Promise<void>;
}

export interface PollingOptions {
  readonly from?: GlobalPosition;
  readonly filter?: EventFilter;
  readonly batchSize?: number;
  readonly idleWaitMs?: number;
}

/** Catch-up-then-live subscription over any source that can be polled for its stable prefix. */
export const pollingSubscription = (source: PollingSource, options: PollingOptions): Subscription => {
  const batchSize = options.batchSize ?? 1000;
  const idleWaitMs = options.idleWaitMs ?? 200;
  const abort = new AbortController();

  async function* items(): AsyncGenerator<SubscriptionItem> {
    let after = options.from;
    let announced: GlobalPosition | null | undefined;
    while (!abort.signal.aborted) {
      const { events, scannedTo, exhausted } = await source.fetch(after, batchSize, options.filter);
      for (const event of events) {
        if (abort.signal.aborted) return;
        yield { kind: 'event', event };
        after = event.globalPosition;
      }
      if (scannedTo !== null && (after === undefined || scannedTo > after)) after = scannedTo;
      if (!exhausted) continue;
      const position = after ?? null;
      if (announced === undefined || announced !== position) {
        announced = position;
        yield { kind: 'caughtUp', position };
      }
      await source.waitForChange(idleWaitMs, abort.signal);
    }
  }

  const iterator = items();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      abort.abort();
      // The generator may be mid-query; its own consumer sees any failure, so closing never throws.
      await iterator.return(undefined).catch(() => undefined);
    },
  };
};

/** A wake-up signal that in-process appenders fire, so local subscribers need not wait for their next poll. */
export class ChangeSignal {
  #waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
    });
  }
}
