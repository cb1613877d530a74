import type { EventFilter, GlobalPosition, RecordedEvent, Subscription, SubscriptionItem } from './port';

export interface PollingSource {
  /**
   * Up to `limit` matching events after `after` that are safe to deliver (no earlier event can still appear), and the
   * highest position scanned, matching or not, so a filtered subscriber can move past events it does not want.
   */
  fetch(
    after: GlobalPosition | undefined,
    limit: number,
    filter: EventFilter | undefined,
  ): Promise<{ events: RecordedEvent[]; scannedTo: GlobalPosition | null }>;
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
  const batchSize = options.batchSize ?? 500;
  const idleWaitMs = options.idleWaitMs ?? 200;
  const abort = new AbortController();

  async function* items(): AsyncGenerator<SubscriptionItem> {
    let after = options.from;
    let announced: GlobalPosition | null | undefined;
    while (!abort.signal.aborted) {
      const { events, scannedTo } = await source.fetch(after, batchSize, options.filter);
      for (const event of events) {
        if (abort.signal.aborted) return;
        yield { kind: 'event', event };
        after = event.globalPosition;
      }
      if (events.length >= batchSize) continue;
      if (scannedTo !== null && (after === undefined || scannedTo > after)) after = scannedTo;
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
