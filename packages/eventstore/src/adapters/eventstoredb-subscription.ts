/**
 * `subscribeToAll` for the EventStoreDB adapter: the client's catch-up-then-live `$all` subscription with a server-side
 * filter, turned into our `SubscriptionItem`s, surviving dropped connections.
 *
 * **Order.** The client's subscription is a Transform stream: events come out of its readable side (buffered), but it
 * announces `caughtUp` with a synchronous event while it processes the server's message, possibly before the events
 * that preceded it have been read. So our `caughtUp` listener pushes a marker into the same readable side, behind
 * those events, and everything is consumed in one ordered, back-pressured iteration. Events are taken raw (the
 * subscription's protected `convertGrpcEvent` hook is replaced) and decoded by our codec, so a malformed event ends
 * the subscription with `MalformedEvent` exactly as `readStream` reports it.
 *
 * **`caughtUp` position.** The server's caught-up message carries no position, and its checkpoints are not usable as
 * one (a catch-up checkpoint may be the start of the page it scanned, live ones come every 32 × interval considered
 * events, and some versions report prepare = 0). So on the server's caught-up we read the head of `$all` (last
 * non-system event, H) and scan `(last processed, H]` with the same filter: if nothing matching is there, we are caught
 * up at H; otherwise at H as soon as the last of those (which the live subscription is about to bring) is delivered.
 * H is a real event's position, so a subscriber can checkpoint it and later resubscribe from it.
 *
 * **Reconnecting.** On a transient error (`UnavailableError` from a dropped connection, a server-side timeout for a
 * slow consumer, a leader change...) or an unexpected end, we resubscribe from the position of the last event
 * processed, with jittered exponential backoff (bounded attempts; reset once items flow again). EventStoreDB
 * subscribes *after* a given position, and every event at or before the last processed one is dropped here too, so
 * the consumer sees each event exactly once, in order. `close()` ends the iteration.
 */
import { type AllStreamSubscription, type EventStoreDBClient, START } from '@eventstore/db-client';
import type { EventFilter, GlobalPosition, SubscribeOptions, Subscription, SubscriptionItem } from '../port';
import { decodeEvent, identityOf, positionOf } from './eventstoredb-codec';
import { backoff, isTransient, type RetryPolicy, readAllEntries, toClientFilter, toServerFilter, wanted } from './eventstoredb-read';
import { esdbPosition, type ReadEventMessage } from './eventstoredb-wire';

type Item = { readonly kind: 'event'; readonly readEvent: ReadEventMessage } | { readonly kind: 'caughtUp' };

export interface SubscriptionContext {
  readonly client: EventStoreDBClient;
  /** Resubscribing after a drop. */
  readonly reconnect: RetryPolicy;
  /** Reads made while resolving a caught-up position. */
  readonly readRetry: RetryPolicy;
  readonly headPosition: () => Promise<GlobalPosition | null>;
}

/** The client subscription, with raw events and an in-order caught-up marker. */
const open = (client: EventStoreDBClient, from: GlobalPosition | undefined, filter: EventFilter | undefined): AllStreamSubscription => {
  const subscription = client.subscribeToAll({
    fromPosition: from === undefined ? START : esdbPosition(from),
    filter: toClientFilter(toServerFilter(filter), undefined),
  });
  const hook = subscription as unknown as { convertGrpcEvent?: (readEvent: ReadEventMessage) => unknown };
  if (typeof hook.convertGrpcEvent !== 'function') {
    void subscription.unsubscribe();
    throw new Error('This version of @eventstore/db-client has no convertGrpcEvent hook on subscriptions; the EventStoreDB adapter needs 6.x.');
  }
  hook.convertGrpcEvent = (readEvent): Item => ({ kind: 'event', readEvent });
  subscription.on('caughtUp', () => {
    if (!subscription.destroyed && !subscription.readableEnded) subscription.push({ kind: 'caughtUp' } satisfies Item);
  });
  // Errors reach us through the iteration; this keeps one emitted after we stopped iterating from going unhandled.
  subscription.on('error', () => {});
  return subscription;
};

const release = async (subscription: AllStreamSubscription): Promise<void> => {
  try {
    await subscription.unsubscribe();
  } catch {
    // The call is already gone.
  }
  subscription.destroy();
};

export const subscribeToEventStoreDb = (ctx: SubscriptionContext, options: SubscribeOptions): Subscription => {
  const abort = new AbortController();
  const filter = options.filter;
  let current: AllStreamSubscription | undefined;

  /** Where the subscriber is caught up, once the server says so: see the file comment. */
  const caughtUpMark = async (processed: GlobalPosition | undefined): Promise<{ position: GlobalPosition | null; after?: GlobalPosition }> => {
    const head = await ctx.headPosition();
    if (head === null || (processed !== undefined && head <= processed)) return { position: processed ?? head };
    let last: GlobalPosition | undefined;
    const scan = readAllEntries(
      ctx.client,
      { direction: 'forwards', from: processed, maxCount: Number.POSITIVE_INFINITY, filter, signal: abort.signal },
      ctx.readRetry,
    );
    for await (const entry of scan) {
      if (entry.position > head) break;
      last = entry.position;
    }
    return last === undefined ? { position: head } : { position: head, after: last };
  };

  async function* items(): AsyncGenerator<SubscriptionItem> {
    /** Position of the last event processed (delivered, or skipped as not wanted): we resubscribe after it. */
    let processed = options.from;
    let announced: GlobalPosition | null | undefined;
    let failures = 0;
    const announce = (position: GlobalPosition | null): SubscriptionItem[] => {
      if (position !== null && (processed === undefined || position > processed)) processed = position;
      if (announced !== undefined && announced === position) return [];
      announced = position;
      return [{ kind: 'caughtUp', position }];
    };
    while (!abort.signal.aborted) {
      let subscription: AllStreamSubscription | undefined;
      let pending: { position: GlobalPosition | null; after: GlobalPosition } | undefined;
      try {
        subscription = open(ctx.client, processed, filter);
        current = subscription;
        for await (const item of subscription as AsyncIterable<Item>) {
          if (abort.signal.aborted) return;
          failures = 0;
          if (item.kind === 'caughtUp') {
            const mark = await caughtUpMark(processed);
            if (mark.after === undefined) yield* announce(mark.position);
            else pending = { position: mark.position, after: mark.after };
            continue;
          }
          const message = item.readEvent.getEvent();
          if (!message) continue;
          const position = positionOf(message);
          if (processed !== undefined && position <= processed) continue;
          const { streamId, type } = identityOf(message);
          if (wanted(filter, streamId, type)) yield { kind: 'event', event: decodeEvent(message) };
          processed = position;
          if (pending && position >= pending.after) {
            const { position: caughtUpAt } = pending;
            pending = undefined;
            yield* announce(caughtUpAt);
          }
        }
        // The server ended the subscription without an error: treat it like a drop.
        if (abort.signal.aborted) return;
        failures++;
      } catch (error) {
        if (abort.signal.aborted) return;
        if (!isTransient(error) || ++failures >= ctx.reconnect.maxAttempts) throw error;
      } finally {
        current = undefined;
        if (subscription) await release(subscription);
      }
      await backoff(ctx.reconnect, failures, abort.signal);
    }
  }

  const iterator = items();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      abort.abort();
      // Unblocks an iteration waiting for the server; the generator then sees the abort and returns.
      if (current) await release(current);
      await iterator.return(undefined);
    },
  };
};
