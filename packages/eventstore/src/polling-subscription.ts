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
  /**
   * Resolves when new events may be available, or after `timeoutMs`; at once if a change was signalled since `since` (a
   * value of `changeEpoch()` taken before the last fetch), so a change between that fetch and this wait is not missed.
   */
  waitForChange(timeoutMs: number, signal: AbortSignal, since?: number): Promise<void>;
  /** Counts the changes signalled so far (see `waitForChange`). */
  changeEpoch?(): number;
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
      const epoch = source.changeEpoch?.();
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
      await source.waitForChange(idleWaitMs, abort.signal, epoch);
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

/** How the store's stable head is read, and how often, for changes made by other processes or connections. */
export interface HeadProbe {
  /** The stable head (any value that changes whenever new events become readable), in one cheap query. */
  readonly read: () => Promise<unknown>;
  readonly intervalMs: number;
}

/**
 * Wakes the subscriptions of one store when new events may be there: at once when this process appends (`notify`), and
 * for appends by other processes or connections when a probe of the store's stable head sees it move. The probe is one
 * query an interval whatever the number of subscriptions waiting, and runs only while one waits: before it, each live
 * subscription polled on its own, and the forty of a `dms serve` made four hundred scans a second on an idle store
 * (docs/benchmarks.md, "An idle server").
 */
export class ChangeSignal {
  #waiters = new Set<() => void>();
  #epoch = 0;
  #probing = false;
  #lastHead: string | undefined;

  constructor(private readonly probe?: HeadProbe) {}

  get epoch(): number {
    return this.#epoch;
  }

  notify(): void {
    this.#epoch++;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  wait(timeoutMs: number, signal: AbortSignal, since?: number): Promise<void> {
    if (signal.aborted || (since !== undefined && since !== this.#epoch)) return Promise.resolve();
    const waiting = new Promise<void>((resolve) => {
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
    if (this.probe && !this.#probing) void this.#watch(this.probe);
    return waiting;
  }

  /** Probes the head every interval while anyone waits; a change, or a failed probe, wakes them all to read for themselves. */
  async #watch(probe: HeadProbe): Promise<void> {
    this.#probing = true;
    try {
      while (this.#waiters.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, probe.intervalMs).unref());
        if (this.#waiters.size === 0) break;
        let head: string | undefined;
        try {
          head = JSON.stringify(await probe.read());
        } catch {
          // The database did not answer: the subscriptions' own reads report it, and wait as they do for any failure.
          this.notify();
          continue;
        }
        if (head !== this.#lastHead) {
          this.#lastHead = head;
          this.notify();
        }
      }
    } finally {
      this.#probing = false;
    }
  }
}
