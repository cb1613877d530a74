/**
 * The in-process EventStoreDB stand-in, exercised through the official Node client (`@eventstore/db-client` 6.x).
 *
 * One exception: the 6.x client's `readAll` has no filter option (server-side filtering is only exposed on
 * `subscribeToAll`), so filtered reads go through the `StreamsClient` that the same package generates from the
 * EventStoreDB protos.
 */
import { randomUUID } from 'node:crypto';
import {
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  MaxAppendSizeExceededError,
  type Position,
  type ResolvedEvent,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  type StreamSubscription,
  streamNameFilter,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { credentials } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { empty, parseUuid, streamNameOf, streamsGrpc, streamsPb } from './proto';
import { type EsdbTestServer, startEsdbTestServer } from './server';

const WAIT = { timeout: 5_000, interval: 5 };
const unique = (category: string) => `${category}-${randomUUID().slice(0, 8)}`;
const event = (type: string, data: Record<string, unknown> = {}, id?: string) =>
  jsonEvent({ type, data, metadata: { correlationId: 'c-1' }, ...(id ? { id } : {}) });
const events = (n: number, type = 'Happened') => Array.from({ length: n }, (_, i) => event(type, { i }));

const readStream = async (client: EventStoreDBClient, stream: string, options: Parameters<EventStoreDBClient['readStream']>[1] = {}) => {
  const out: { revision: bigint; type: string; id: string; data: unknown }[] = [];
  for await (const resolved of client.readStream(stream, options)) {
    if (resolved.event) out.push({ revision: resolved.event.revision, type: resolved.event.type, id: resolved.event.id, data: resolved.event.data });
  }
  return out;
};

const readAll = async (client: EventStoreDBClient, options: Parameters<EventStoreDBClient['readAll']>[0] = {}) => {
  const out: { stream: string; type: string; position: Position; commitPosition: bigint | undefined }[] = [];
  for await (const resolved of client.readAll(options)) {
    if (resolved.event)
      out.push({ stream: resolved.event.streamId, type: resolved.event.type, position: resolved.event.position, commitPosition: resolved.commitPosition });
  }
  return out;
};

type Item =
  | { readonly kind: 'event'; readonly stream: string; readonly type: string; readonly revision: bigint; readonly position: Position | undefined }
  | { readonly kind: 'confirmation' }
  | { readonly kind: 'caughtUp' }
  | { readonly kind: 'checkpoint'; readonly position: Position };

/** Records everything a subscription reports, in order. */
const recorder = () => {
  const items: Item[] = [];
  let error: Error | undefined;
  return {
    items,
    get error() {
      return error;
    },
    checkpointReached: (_subscription: unknown, position: Position) => {
      items.push({ kind: 'checkpoint', position });
    },
    attach<S extends AllStreamSubscription | StreamSubscription>(subscription: S): S {
      subscription.on('confirmation', () => items.push({ kind: 'confirmation' }));
      subscription.on('caughtUp', () => items.push({ kind: 'caughtUp' }));
      subscription.on('error', (e: Error) => {
        error = e;
      });
      subscription.on('data', (resolved: ResolvedEvent | AllStreamResolvedEvent) => {
        const e = resolved.event;
        if (e) items.push({ kind: 'event', stream: e.streamId, type: e.type, revision: e.revision, position: e.position });
      });
      return subscription;
    },
    events: () => items.filter((i): i is Extract<Item, { kind: 'event' }> => i.kind === 'event'),
    kinds: () => items.map((i) => i.kind),
  };
};

const positionOf = (p: Position | undefined): bigint => {
  if (!p) throw new Error('the event has no position');
  return p.commit;
};

describe.each([
  { batchAppend: true, rpc: 'Streams.BatchAppend' },
  { batchAppend: false, rpc: 'Streams.Append' },
])('appending through $rpc', ({ batchAppend, rpc }) => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;
  beforeAll(async () => {
    server = await startEsdbTestServer({ batchAppend });
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  it('uses the RPC the server advertises in its features', async () => {
    await client.appendToStream(unique('probe'), event('Probed'));
    expect(server.calls.get('ServerFeatures.GetSupportedMethods')).toBe(1);
    expect(server.calls.get(rpc)).toBeGreaterThan(0);
    expect(server.calls.get(batchAppend ? 'Streams.Append' : 'Streams.BatchAppend')).toBeUndefined();
  });

  it('appends with each kind of expected revision', async () => {
    const stream = unique('order');
    const created = await client.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
    expect(created).toMatchObject({ success: true, nextExpectedRevision: 1n });
    const exact = await client.appendToStream(stream, events(1), { expectedRevision: 1n });
    expect(exact.nextExpectedRevision).toBe(2n);
    const exists = await client.appendToStream(stream, events(1), { expectedRevision: 'stream_exists' });
    expect(exists.nextExpectedRevision).toBe(3n);
    const any = await client.appendToStream(stream, events(2), { expectedRevision: 'any' });
    expect(any.nextExpectedRevision).toBe(5n);
    const anyNew = await client.appendToStream(unique('order'), events(1));
    expect(anyNew.nextExpectedRevision).toBe(0n);
    expect((await readStream(client, stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
  });

  it('reports a wrong expected version with the actual current revision', async () => {
    const stream = unique('order');
    await client.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });

    const stale = client.appendToStream(stream, events(1), { expectedRevision: 0n });
    await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(stale).rejects.toMatchObject({ streamName: stream, expectedVersion: 0n, actualVersion: 2n });

    await expect(client.appendToStream(stream, events(1), { expectedRevision: 'no_stream' })).rejects.toMatchObject({
      expectedVersion: 'no_stream',
      actualVersion: 2n,
    });
    await expect(client.appendToStream(stream, events(1), { expectedRevision: 7n })).rejects.toMatchObject({ expectedVersion: 7n, actualVersion: 2n });
    await expect(client.appendToStream(unique('order'), events(1), { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
      expectedVersion: 'stream_exists',
      actualVersion: 'no_stream',
    });
    await expect(client.appendToStream(unique('order'), events(1), { expectedRevision: 0n })).rejects.toMatchObject({
      expectedVersion: 0n,
      actualVersion: 'no_stream',
    });
    expect(await readStream(client, stream)).toHaveLength(3);
  });

  it('treats re-appending the same event ids at the same place as a successful no-op', async () => {
    const stream = unique('order');
    const batch = [event('A', {}, randomUUID()), event('B', {}, randomUUID())];
    const first = await client.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
    const again = await client.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
    expect(again).toMatchObject({ success: true, nextExpectedRevision: 1n, position: first.position });

    const next = [event('C', {}, randomUUID())];
    await client.appendToStream(stream, next, { expectedRevision: 1n });
    expect((await client.appendToStream(stream, next, { expectedRevision: 1n })).nextExpectedRevision).toBe(2n);
    // With `any` the ids are looked up wherever they are in the stream.
    expect((await client.appendToStream(stream, batch, { expectedRevision: 'any' })).nextExpectedRevision).toBe(1n);
    expect((await readStream(client, stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);

    // Only part of the batch already there, or at another place: not idempotent, a wrong expected version.
    await expect(client.appendToStream(stream, [batch[1]!, event('D')], { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(client.appendToStream(stream, [batch[0]!, event('D')], { expectedRevision: 'any' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await readStream(client, stream)).toHaveLength(3);
  });

  it('lets exactly one of several concurrent appends at the same expected revision win', async () => {
    const stream = unique('stock');
    await client.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => client.appendToStream(stream, events(2), { expectedRevision: 0n })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(WrongExpectedVersionError);
      expect(r.reason).toMatchObject({ actualVersion: 2n });
    }
    expect(await readStream(client, stream)).toHaveLength(3);
  });

  it('writes a multi-event append atomically and contiguously, with increasing positions', async () => {
    const a = unique('order');
    const b = unique('stock');
    const first = await client.appendToStream(a, events(3));
    const second = await client.appendToStream(b, events(2));
    const third = await client.appendToStream(a, events(1));
    expect(first.position?.commit).toBe(first.position?.prepare);
    expect(positionOf(first.position)).toBeLessThan(positionOf(second.position));
    expect(positionOf(second.position)).toBeLessThan(positionOf(third.position));

    const tail = (await readAll(client, { direction: BACKWARDS, fromPosition: END, maxCount: 6 })).reverse();
    expect(tail.map((e) => e.stream)).toEqual([a, a, a, b, b, a]);
    // The append reports the position of its last event.
    expect(tail[2]!.position).toEqual(first.position);
    expect(tail[4]!.position).toEqual(second.position);
    expect(tail[5]!.position).toEqual(third.position);

    await expect(client.appendToStream(a, events(3), { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await readStream(client, a)).toHaveLength(4);
  });

  it('rejects an append larger than the maximum append size, writing nothing', async () => {
    const stream = unique('big');
    const big = event('Big', { blob: 'x'.repeat(600 * 1024) });
    await expect(client.appendToStream(stream, [big, event('Big', { blob: 'y'.repeat(600 * 1024) })])).rejects.toBeInstanceOf(MaxAppendSizeExceededError);
    await expect(readStream(client, stream)).rejects.toBeInstanceOf(StreamNotFoundError);
  });
});

describe('reading', () => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;
  const order = unique('order');
  const stock = unique('stock');
  beforeAll(async () => {
    server = await startEsdbTestServer();
    client = EventStoreDBClient.connectionString(server.connectionString);
    await client.appendToStream(order, events(10, 'OrderLine'), { expectedRevision: 'no_stream' });
    await client.appendToStream(stock, [event('StockReserved'), event('StockReleased')]);
    await client.appendToStream(order, [event('OrderApproved')]);
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  it('reads a stream forwards and backwards, from a revision, with a limit', async () => {
    const revisions = async (options: Parameters<EventStoreDBClient['readStream']>[1]) => (await readStream(client, order, options)).map((e) => e.revision);
    expect(await revisions({})).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
    expect(await revisions({ direction: FORWARDS, fromRevision: 3n, maxCount: 4 })).toEqual([3n, 4n, 5n, 6n]);
    expect(await revisions({ direction: BACKWARDS, fromRevision: END, maxCount: 3 })).toEqual([10n, 9n, 8n]);
    expect(await revisions({ direction: BACKWARDS, fromRevision: 2n })).toEqual([2n, 1n, 0n]);
    expect(await revisions({ direction: FORWARDS, fromRevision: 50n })).toEqual([]);
    const [last] = await readStream(client, order, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    expect(last).toMatchObject({ type: 'OrderApproved', data: {} });
  });

  it('carries the event data, metadata, id, content type and creation time', async () => {
    const stream = unique('partner');
    const id = randomUUID();
    const before = Date.now();
    await client.appendToStream(stream, jsonEvent({ id, type: 'PartnerOnboarded', data: { name: 'Acme', n: 1 }, metadata: { actor: 'u-1' } }));
    const read = [];
    for await (const resolved of client.readStream(stream)) read.push(resolved);
    const [resolved] = read;
    expect(resolved?.event).toMatchObject({
      streamId: stream,
      id,
      revision: 0n,
      type: 'PartnerOnboarded',
      data: { name: 'Acme', n: 1 },
      metadata: { actor: 'u-1' },
      isJson: true,
    });
    expect(resolved?.event?.created.getTime()).toBeGreaterThanOrEqual(before - 1);
  });

  it('reports a missing stream as StreamNotFound', async () => {
    await expect(readStream(client, unique('missing'))).rejects.toBeInstanceOf(StreamNotFoundError);
    await expect(readStream(client, unique('missing'), { direction: BACKWARDS, fromRevision: END })).rejects.toMatchObject({
      type: 'stream-not-found',
    });
  });

  it('reads $all forwards and backwards, from a position', async () => {
    const all = await readAll(client);
    // A fresh node has system events first.
    expect(all.slice(0, 6).every((e) => e.stream.startsWith('$') && e.type.startsWith('$'))).toBe(true);
    const ours = all.filter((e) => e.stream === order || e.stream === stock);
    expect(ours.map((e) => e.stream)).toEqual([...Array(10).fill(order), stock, stock, order]);
    const positions = all.map((e) => positionOf(e.position));
    expect(positions).toEqual([...positions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(new Set(positions).size).toBe(positions.length);
    expect(all.every((e) => e.commitPosition === e.position.commit)).toBe(true);

    const backwards = await readAll(client, { direction: BACKWARDS, fromPosition: END });
    expect(backwards).toEqual([...all].reverse());

    // Forwards from a position includes the event at that position; backwards from it starts before it.
    const pivot = ours[10]!; // the first stock event
    const fromPivot = await readAll(client, { fromPosition: pivot.position, maxCount: 3 });
    expect(fromPivot.map((e) => e.type)).toEqual(['StockReserved', 'StockReleased', 'OrderApproved']);
    const beforePivot = await readAll(client, { direction: BACKWARDS, fromPosition: pivot.position, maxCount: 2 });
    expect(beforePivot.map((e) => e.position)).toEqual([ours[9]!.position, ours[8]!.position]);
    expect(await readAll(client, { direction: BACKWARDS, fromPosition: START })).toEqual([]);
    expect(await readAll(client, { fromPosition: END })).toEqual([]);
  });

  describe('filtered $all reads (generated StreamsClient: client 6.x readAll has no filter option)', () => {
    const filteredRead = async (
      filter: InstanceType<typeof streamsPb.ReadReq.Options.FilterOptions>,
      direction: 'forwards' | 'backwards' = 'forwards',
      count = 100,
    ) => {
      const raw = new streamsGrpc.StreamsClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
      const all = new streamsPb.ReadReq.Options.AllOptions();
      if (direction === 'forwards') all.setStart(empty());
      else all.setEnd(empty());
      const options = new streamsPb.ReadReq.Options()
        .setAll(all)
        .setReadDirection(direction === 'forwards' ? streamsPb.ReadReq.Options.ReadDirection.FORWARDS : streamsPb.ReadReq.Options.ReadDirection.BACKWARDS)
        .setResolveLinks(false)
        .setCount(String(count))
        .setUuidOption(new streamsPb.ReadReq.Options.UUIDOption().setStructured(empty()))
        .setFilter(filter);
      const out: { stream: string; type: string; id: string | undefined }[] = [];
      try {
        for await (const response of raw.read(new streamsPb.ReadReq().setOptions(options)) as AsyncIterable<ReadResp>) {
          const recorded = response.getEvent()?.getEvent();
          if (recorded)
            out.push({
              stream: streamNameOf(recorded.getStreamIdentifier()) ?? '',
              type: recorded.getMetadataMap().get('type') ?? '',
              id: parseUuid(recorded.getId()),
            });
        }
      } finally {
        raw.close();
      }
      return out;
    };
    const expression = (prefixes: string[], regex = '') => new streamsPb.ReadReq.Options.FilterOptions.Expression().setPrefixList(prefixes).setRegex(regex);
    const byStream = (prefixes: string[], regex = '') =>
      new streamsPb.ReadReq.Options.FilterOptions().setStreamIdentifier(expression(prefixes, regex)).setCount(empty()).setCheckpointintervalmultiplier(1);
    const byType = (prefixes: string[], regex = '') =>
      new streamsPb.ReadReq.Options.FilterOptions().setEventType(expression(prefixes, regex)).setCount(empty()).setCheckpointintervalmultiplier(1);

    it('filters by stream-name prefix, both directions, with a limit counting matching events', async () => {
      expect((await filteredRead(byStream([stock]))).map((e) => e.type)).toEqual(['StockReserved', 'StockReleased']);
      expect((await filteredRead(byStream([order, stock]), 'backwards', 2)).map((e) => e.type)).toEqual(['OrderApproved', 'StockReleased']);
      expect(await filteredRead(byStream(['nothing-'])).then((r) => r.length)).toBe(0);
    });

    it('filters by event-type prefix and by regex', async () => {
      expect((await filteredRead(byType(['Stock']))).map((e) => e.stream)).toEqual([stock, stock]);
      expect((await filteredRead(byType([], '^Order(Approved|Rejected)$'))).map((e) => e.type)).toEqual(['OrderApproved']);
      const nonSystem = await filteredRead(byType([], '^[^$]'));
      expect(nonSystem.length).toBeGreaterThanOrEqual(13);
      expect(nonSystem.some((e) => e.type.startsWith('$') || e.stream.startsWith('$'))).toBe(false);
      // Structured UUIDs were asked for; they decode to the same ids.
      const [first] = await readStream(client, order, { maxCount: 1 });
      expect(nonSystem[0]?.id).toBe(first?.id);
    });
  });
});

describe('subscriptions', () => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;
  const subscriptions: { unsubscribe(): Promise<void> }[] = [];
  const track = <S extends { unsubscribe(): Promise<void> }>(s: S): S => {
    subscriptions.push(s);
    return s;
  };
  beforeAll(async () => {
    server = await startEsdbTestServer();
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.unsubscribe()));
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  it('subscribes to $all from the start: confirmation, catch-up, caught up, then live events', async () => {
    const stream = unique('sub');
    await client.appendToStream(stream, events(3));
    const rec = recorder();
    rec.attach(track(client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [stream] }) })));
    await vi.waitFor(() => expect(rec.kinds()).toContain('caughtUp'), WAIT);
    await client.appendToStream(stream, events(2));
    await vi.waitFor(() => expect(rec.events()).toHaveLength(5), WAIT);
    expect(rec.kinds().filter((k) => k !== 'checkpoint')).toEqual(['confirmation', 'event', 'event', 'event', 'caughtUp', 'event', 'event']);
    expect(rec.events().map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
  });

  it('subscribes to $all from a position (exclusive) and from the end', async () => {
    const stream = unique('sub');
    await client.appendToStream(stream, events(4));
    const [, second] = (await readAll(client, { direction: BACKWARDS, fromPosition: END, maxCount: 4 })).reverse().map((e) => e.position);
    const fromPosition = track(client.subscribeToAll({ fromPosition: second! }));
    const fromEnd = track(client.subscribeToAll({ fromPosition: END }));
    const a = recorder();
    const b = recorder();
    a.attach(fromPosition);
    b.attach(fromEnd);
    await vi.waitFor(() => expect(b.kinds()).toEqual(['confirmation', 'caughtUp']), WAIT);
    await client.appendToStream(stream, events(1));
    await vi.waitFor(() => expect(a.events()).toHaveLength(3), WAIT);
    await vi.waitFor(() => expect(b.events()).toHaveLength(1), WAIT);
    expect(a.events().map((e) => e.revision)).toEqual([2n, 3n, 4n]);
    expect(b.events()[0]).toMatchObject({ stream, revision: 4n });
  });

  it('filters a subscription server-side and sends checkpoints every interval x 32 considered events', async () => {
    const noise = unique('noise');
    const wanted = unique('wanted');
    await client.appendToStream(noise, events(40, 'Noise'));
    await client.appendToStream(wanted, [event('Wanted')]);
    const rec = recorder();
    rec.attach(
      track(
        client.subscribeToAll({
          fromPosition: START,
          filter: eventTypeFilter({ prefixes: ['Wanted'], checkpointInterval: 1, checkpointReached: rec.checkpointReached }),
        }),
      ),
    );
    await vi.waitFor(() => expect(rec.kinds()).toContain('caughtUp'), WAIT);
    expect(rec.events().map((e) => e.type)).toEqual(['Wanted']);
    const checkpointsBefore = rec.items.filter((i) => i.kind === 'checkpoint');
    expect(checkpointsBefore.length).toBeGreaterThan(0);

    // Live: 70 more non-matching events must still move the checkpoint forwards.
    await client.appendToStream(noise, events(70, 'Noise'));
    const head = (await readAll(client, { direction: BACKWARDS, fromPosition: END, maxCount: 1 }))[0]!.position;
    await vi.waitFor(() => expect(rec.items.filter((i) => i.kind === 'checkpoint').length).toBeGreaterThanOrEqual(checkpointsBefore.length + 2), WAIT);
    const checkpoints = rec.items.flatMap((i) => (i.kind === 'checkpoint' ? [positionOf(i.position)] : []));
    expect(checkpoints).toEqual([...checkpoints].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(checkpoints.at(-1)!).toBeLessThanOrEqual(head.commit);
    // A checkpoint is a position to resume from: resubscribing from the last one loses nothing that matches.
    await client.appendToStream(wanted, [event('Wanted')]);
    const resumed = recorder();
    resumed.attach(
      track(
        client.subscribeToAll({
          fromPosition: { commit: checkpoints.at(-1)!, prepare: checkpoints.at(-1)! },
          filter: eventTypeFilter({ prefixes: ['Wanted'] }),
        }),
      ),
    );
    await vi.waitFor(() => expect(resumed.events().map((e) => e.revision)).toEqual([1n]), WAIT);
  });

  it('filters by stream-name regex and excludes system events', async () => {
    const stream = unique('regex');
    await client.appendToStream(stream, events(2));
    const byRegex = recorder();
    byRegex.attach(track(client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ regex: `^${stream}$` }) })));
    const noSystem = recorder();
    noSystem.attach(track(client.subscribeToAll({ fromPosition: START, filter: excludeSystemEvents() })));
    await vi.waitFor(() => expect(byRegex.kinds()).toContain('caughtUp'), WAIT);
    await vi.waitFor(() => expect(noSystem.kinds()).toContain('caughtUp'), WAIT);
    expect(byRegex.events().map((e) => e.stream)).toEqual([stream, stream]);
    expect(noSystem.events().length).toBeGreaterThan(2);
    expect(noSystem.events().some((e) => e.type.startsWith('$'))).toBe(false);
  });

  it('subscribes to a stream from the start or after a revision, then live', async () => {
    const stream = unique('order');
    await client.appendToStream(stream, events(3));
    const all = recorder();
    const after = recorder();
    all.attach(track(client.subscribeToStream(stream, { fromRevision: START })));
    after.attach(track(client.subscribeToStream(stream, { fromRevision: 1n })));
    await vi.waitFor(() => expect(all.kinds()).toEqual(['confirmation', 'event', 'event', 'event', 'caughtUp']), WAIT);
    await client.appendToStream(stream, events(1));
    await client.appendToStream(unique('other'), events(1));
    await vi.waitFor(() => expect(all.events()).toHaveLength(4), WAIT);
    await vi.waitFor(() => expect(after.events().map((e) => e.revision)).toEqual([2n, 3n]), WAIT);
  });
});

describe('the server going away', () => {
  it('fails open subscriptions with UnavailableError; resubscribing from the last position loses and repeats nothing', async () => {
    const server = await startEsdbTestServer();
    const client = EventStoreDBClient.connectionString(server.connectionString);
    try {
      const stream = unique('drop');
      const filter = () => streamNameFilter({ prefixes: [stream] });
      await client.appendToStream(stream, events(3));
      const first = recorder();
      const subscription = first.attach(client.subscribeToAll({ fromPosition: START, filter: filter() }));
      await vi.waitFor(() => expect(first.kinds()).toContain('caughtUp'), WAIT);

      server.dropConnections();
      // How a client sees the drop: the subscription emits `error` with an UnavailableError (gRPC status 14,
      // "read ECONNRESET") and ends; the client also resets its channel, so its next call opens a new connection.
      await vi.waitFor(() => expect(first.error).toBeInstanceOf(UnavailableError), WAIT);
      expect(first.error).toMatchObject({ type: 'unavailable', code: 14 });
      await subscription.unsubscribe();

      // Writes made while the subscriber is away...
      await client.appendToStream(stream, events(2));
      const resumeFrom = first.events().at(-1)!.position!;
      const second = recorder();
      const resubscribed = second.attach(client.subscribeToAll({ fromPosition: resumeFrom, filter: filter() }));
      await vi.waitFor(() => expect(second.kinds()).toContain('caughtUp'), WAIT);
      // ...and after it is back.
      await client.appendToStream(stream, events(1));
      await vi.waitFor(() => expect(second.events()).toHaveLength(3), WAIT);
      expect([...first.events(), ...second.events()].map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
      await resubscribed.unsubscribe();
    } finally {
      await client.dispose();
      await server.stop();
    }
  });

  it('lets the client reconnect on its own after a drop', async () => {
    const server = await startEsdbTestServer();
    const client = EventStoreDBClient.connectionString(server.connectionString);
    try {
      const stream = unique('drop');
      await client.appendToStream(stream, events(1));
      server.dropConnections();
      // The first call after the drop may still meet the dead connection; a retry (as an adapter would do) succeeds.
      const append = () => client.appendToStream(stream, events(1));
      await append().catch((error: unknown) => {
        expect(error).toBeInstanceOf(UnavailableError);
        return append();
      });
      expect(await readStream(client, stream)).toHaveLength(2);
    } finally {
      await client.dispose();
      await server.stop();
    }
  });
});

describe('deleting streams', () => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;
  beforeAll(async () => {
    server = await startEsdbTestServer();
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  it('soft-deletes: the stream reads as not found, and a new write continues after the old revisions', async () => {
    const stream = unique('order');
    await client.appendToStream(stream, events(2));
    await expect(client.deleteStream(stream, { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    const deleted = await client.deleteStream(stream, { expectedRevision: 1n });
    expect(deleted.position).toBeDefined();
    await expect(readStream(client, stream)).rejects.toBeInstanceOf(StreamNotFoundError);
    const again = await client.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
    expect(again.nextExpectedRevision).toBe(2n);
    expect((await readStream(client, stream)).map((e) => e.revision)).toEqual([2n]);
  });

  it('tombstones: the stream can never be read or written again', async () => {
    const stream = unique('order');
    await client.appendToStream(stream, events(1));
    await client.tombstoneStream(stream);
    await expect(readStream(client, stream)).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(client.appendToStream(stream, events(1))).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(client.tombstoneStream(stream)).rejects.toBeInstanceOf(StreamDeletedError);
    const [last] = await readAll(client, { direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    expect(last).toMatchObject({ stream, type: '$streamDeleted' });
  });
});

describe('connecting', () => {
  it('discovers the node through gossip with esdb+discover://', async () => {
    const server = await startEsdbTestServer({ systemEvents: false });
    const client = EventStoreDBClient.connectionString(`esdb+discover://127.0.0.1:${server.port}?tls=false&maxDiscoverAttempts=2`);
    try {
      await client.appendToStream('discovered-1', events(1));
      expect(server.calls.get('Gossip.Read')).toBeGreaterThan(0);
      expect(await readAll(client)).toHaveLength(1);
    } finally {
      await client.dispose();
      await server.stop();
    }
  });
});
