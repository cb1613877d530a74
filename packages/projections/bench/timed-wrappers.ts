import { performance } from 'node:perf_hooks';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  GlobalPosition,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionItem,
} from '@dms/eventstore';
import type { Projection } from '../src';

/**
 * Pass-through wrappers that only add up where a rebuild spends its time: waiting for the next event from the store's
 * subscription (reading), and inside `Projection.apply` (writing read models). Everything else is the runner's own
 * transactions and bookkeeping. They cost two `performance.now()` calls per event and per batch.
 */
export class Stopwatch {
  readMs = 0;
  applyMs = 0;
  reset(): void {
    this.readMs = 0;
    this.applyMs = 0;
  }
}

export class TimedStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly watch: Stopwatch,
  ) {}

  appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, options);
  }
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readStream(streamId, options);
  }
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readAll(options);
  }
  headPosition(): Promise<GlobalPosition | null> {
    return this.inner.headPosition();
  }
  get typesInLog(): EventStore['typesInLog'] {
    return this.inner.typesInLog?.bind(this.inner);
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  subscribeToAll(options?: SubscribeOptions): Subscription {
    const subscription = this.inner.subscribeToAll(options);
    const watch = this.watch;
    return {
      [Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
        const it = subscription[Symbol.asyncIterator]();
        return {
          async next() {
            const t0 = performance.now();
            try {
              return await it.next();
            } finally {
              watch.readMs += performance.now() - t0;
            }
          },
          return: async (value?: unknown) => (it.return ? it.return(value) : { done: true, value: undefined }),
        };
      },
      close: () => subscription.close(),
    };
  }
}

export const timedProjection = (projection: Projection, watch: Stopwatch): Projection => ({
  ...projection,
  createTables: (db) => projection.createTables(db),
  apply: async (db, events) => {
    const t0 = performance.now();
    try {
      await projection.apply(db, events);
    } finally {
      watch.applyMs += performance.now() - t0;
    }
  },
});
