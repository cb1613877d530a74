/**
 * Streams.Read: stream and `$all` reads (forwards, backwards, from a revision or position, with a count, `$all`
 * optionally filtered), and subscriptions (to a stream or to `$all`, optionally filtered): confirmation, catch-up,
 * `caught_up`, then live events, with checkpoints on filtered `$all` subscriptions.
 *
 * Positions: reading `$all` forwards from a position includes the event at that position, backwards starts before
 * it; a subscription from a position (or a stream subscription from a revision) starts after it.
 */
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { type EventFilter, parseFilter } from './filter';
import type { AllReadStart, EventLog, StoredEvent, StreamReadStart } from './log';
import { empty, errors, makeUuid, newUuid, parseRevision, requireStreamName, streamIdentifier, streamsPb, toServiceError } from './proto';

type ReadOptions = InstanceType<typeof streamsPb.ReadReq.Options>;
type RecordedEventMessage = InstanceType<typeof streamsPb.ReadResp.ReadEvent.RecordedEvent>;

const MAX_COUNT = BigInt(Number.MAX_SAFE_INTEGER);

/** Writes with back-pressure; resolves false once the call is gone (client cancelled, connection dropped). */
class ResponseWriter<T> {
  #ended = false;

  constructor(private readonly call: ServerWritableStream<ReadReq, T>) {
    call.once('cancelled', () => {
      this.#ended = true;
    });
    call.once('close', () => {
      this.#ended = true;
    });
  }

  get open(): boolean {
    return !this.#ended && !this.call.cancelled;
  }

  async write(message: T): Promise<boolean> {
    if (!this.open) return false;
    if (this.call.write(message)) return true;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.call.off('drain', done);
        this.call.off('cancelled', done);
        this.call.off('close', done);
        resolve();
      };
      this.call.on('drain', done);
      this.call.on('cancelled', done);
      this.call.on('close', done);
    });
    return this.open;
  }

  end(): void {
    if (!this.open) return;
    this.#ended = true;
    this.call.end();
  }

  fail(error: unknown): void {
    if (!this.open) return;
    this.#ended = true;
    this.call.emit('error', toServiceError(error));
  }

  /** Resolves once the log has had a write after the `seen` write count (at once if it already has), or the call goes away. */
  writeAfter(log: EventLog, seen: number): Promise<void> {
    return new Promise((resolve) => {
      if (log.writeCount !== seen || !this.open) return resolve();
      const done = () => {
        stop();
        this.call.off('cancelled', done);
        this.call.off('close', done);
        resolve();
      };
      const stop = log.onWrite(done);
      this.call.on('cancelled', done);
      this.call.on('close', done);
    });
  }
}

const recordedEvent = (e: StoredEvent, structuredUuid: boolean): RecordedEventMessage => {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(makeUuid(e.eventId, structuredUuid))
    .setStreamIdentifier(streamIdentifier(e.streamName))
    .setStreamRevision(e.revision.toString())
    .setCommitPosition(e.position.toString())
    .setPreparePosition(e.position.toString())
    .setData(e.data)
    .setCustomMetadata(e.customMetadata);
  recorded.getMetadataMap().set('type', e.type).set('content-type', e.contentType).set('created', e.createdTicks.toString());
  return recorded;
};

const eventResponse = (e: StoredEvent, structuredUuid: boolean, withPosition: boolean): ReadResp => {
  const readEvent = new streamsPb.ReadResp.ReadEvent().setEvent(recordedEvent(e, structuredUuid));
  if (withPosition) readEvent.setCommitPosition(e.position.toString());
  else readEvent.setNoPosition(empty());
  return new streamsPb.ReadResp().setEvent(readEvent);
};

const checkpointResponse = (position: bigint): ReadResp =>
  new streamsPb.ReadResp().setCheckpoint(new streamsPb.ReadResp.Checkpoint().setCommitPosition(position.toString()).setPreparePosition(position.toString()));

const confirmationResponse = (): ReadResp =>
  new streamsPb.ReadResp().setConfirmation(new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(newUuid()));

const caughtUpResponse = (): ReadResp => new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp());

const streamStart = (options: InstanceType<typeof streamsPb.ReadReq.Options.StreamOptions>): StreamReadStart => {
  if (options.hasStart()) return 'start';
  if (options.hasEnd()) return 'end';
  if (options.getRevisionOptionCase() === streamsPb.ReadReq.Options.StreamOptions.RevisionOptionCase.REVISION) return parseRevision(options.getRevision());
  throw errors.invalidArgument('A stream read needs a start, an end or a revision.');
};

const allStart = (options: InstanceType<typeof streamsPb.ReadReq.Options.AllOptions>): AllReadStart => {
  if (options.hasStart()) return 'start';
  if (options.hasEnd()) return 'end';
  const position = options.getPosition();
  if (position) return { commit: parseRevision(position.getCommitPosition()), prepare: parseRevision(position.getPreparePosition()) };
  throw errors.invalidArgument('An $all read needs a start, an end or a position.');
};

/** Compares an event's (commit, prepare) position with a requested one. */
const comparePosition = (e: StoredEvent, p: { readonly commit: bigint; readonly prepare: bigint }): number =>
  e.position !== p.commit ? (e.position < p.commit ? -1 : 1) : e.position !== p.prepare ? (e.position < p.prepare ? -1 : 1) : 0;

export const createReadHandler = (log: EventLog): IStreamsServer['read'] => {
  const readStream = async (out: ResponseWriter<ReadResp>, o: ReadOptions, structured: boolean) => {
    const streamOptions = o.getStream()!;
    const name = requireStreamName(streamOptions.getStreamIdentifier());
    const start = streamStart(streamOptions);
    const count = BigInt(o.getCount() || '0') > MAX_COUNT ? Number.MAX_SAFE_INTEGER : Number(o.getCount() || '0');
    const view = log.viewStream(name);
    if (view.kind === 'deleted') throw errors.streamDeleted(name);
    if (view.kind === 'not_found') {
      await out.write(new streamsPb.ReadResp().setStreamNotFound(new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name))));
      return;
    }
    const length = view.events.length;
    let sent = 0;
    if (o.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.FORWARDS) {
      const from = start === 'start' ? 0 : start === 'end' ? length : Number(start > BigInt(length) ? BigInt(length) : start);
      for (let i = Math.max(from, view.firstVisible); i < length && sent < count; i++, sent++) {
        if (!(await out.write(eventResponse(view.events[i]!, structured, false)))) return;
      }
    } else {
      const from = start === 'start' ? 0 : start === 'end' ? length - 1 : Number(start >= BigInt(length) ? BigInt(length - 1) : start);
      for (let i = from; i >= view.firstVisible && sent < count; i--, sent++) {
        if (!(await out.write(eventResponse(view.events[i]!, structured, false)))) return;
      }
    }
  };

  const readAll = async (out: ResponseWriter<ReadResp>, o: ReadOptions, structured: boolean, filter: EventFilter | undefined) => {
    const start = allStart(o.getAll()!);
    const count = BigInt(o.getCount() || '0') > MAX_COUNT ? Number.MAX_SAFE_INTEGER : Number(o.getCount() || '0');
    const all = log.all;
    const length = all.length;
    let sent = 0;
    const emit = async (e: StoredEvent) => {
      if (filter && !filter.matches(e)) return true;
      sent++;
      return out.write(eventResponse(e, structured, true));
    };
    if (o.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.FORWARDS) {
      let i = start === 'start' ? 0 : start === 'end' ? length : log.indexAtOrAfter(start.commit);
      if (typeof start === 'object') while (i < length && comparePosition(all[i]!, start) < 0) i++;
      for (; i < length && sent < count; i++) if (!(await emit(all[i]!))) return;
    } else {
      let i = start === 'start' ? -1 : start === 'end' ? length - 1 : log.indexAtOrAfter(start.commit) - 1;
      if (typeof start === 'object') while (i + 1 < length && comparePosition(all[i + 1]!, start) < 0) i++;
      for (; i >= 0 && sent < count; i--) if (!(await emit(all[i]!))) return;
    }
  };

  /** Catch-up then live, from the position after `from`. Never returns while the call is open. */
  const subscribeToAll = async (out: ResponseWriter<ReadResp>, o: ReadOptions, structured: boolean, filter: EventFilter | undefined) => {
    const start = allStart(o.getAll()!);
    if (!(await out.write(confirmationResponse()))) return;
    const all = log.all;
    let cursor = start === 'start' ? 0 : start === 'end' ? all.length : log.indexAtOrAfter(start.commit);
    if (typeof start === 'object') while (cursor < all.length && comparePosition(all[cursor]!, start) <= 0) cursor++;
    let considered = 0;
    let caughtUp = false;
    while (out.open) {
      const seen = log.writeCount;
      while (cursor < all.length) {
        const e = all[cursor++]!;
        if (!filter || filter.matches(e)) {
          if (!(await out.write(eventResponse(e, structured, true)))) return;
        }
        if (filter && ++considered >= filter.checkpointInterval) {
          considered = 0;
          if (!(await out.write(checkpointResponse(e.position)))) return;
        }
      }
      if (!caughtUp) {
        caughtUp = true;
        if (!(await out.write(caughtUpResponse()))) return;
      }
      await out.writeAfter(log, seen);
    }
  };

  /** Catch-up then live on one stream, from the revision after `from`. */
  const subscribeToStream = async (out: ResponseWriter<ReadResp>, o: ReadOptions, structured: boolean) => {
    const streamOptions = o.getStream()!;
    const name = requireStreamName(streamOptions.getStreamIdentifier());
    const start = streamStart(streamOptions);
    if (log.isTombstoned(name)) throw errors.streamDeleted(name);
    if (!(await out.write(confirmationResponse()))) return;
    let next = start === 'start' ? 0 : start === 'end' ? Number(log.versionOf(name) + 1n) : Number(start + 1n);
    let caughtUp = false;
    while (out.open) {
      const seen = log.writeCount;
      const view = log.viewStream(name);
      if (view.kind === 'deleted') throw errors.streamDeleted(name);
      if (view.kind === 'ok') {
        for (next = Math.max(next, view.firstVisible); next < view.events.length; next++) {
          if (!(await out.write(eventResponse(view.events[next]!, structured, false)))) return;
        }
      }
      if (!caughtUp) {
        caughtUp = true;
        if (!(await out.write(caughtUpResponse()))) return;
      }
      await out.writeAfter(log, seen);
    }
  };

  return (call) => {
    const out = new ResponseWriter<ReadResp>(call);
    const run = async () => {
      const o = call.request.getOptions();
      if (!o) throw errors.invalidArgument('Read options are required.');
      const structured = o.getUuidOption()?.hasStructured() ?? false;
      const filter = o.hasFilter() ? parseFilter(o.getFilter()!) : undefined;
      const subscription = o.hasSubscription();
      const forwards = o.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.FORWARDS;
      if (o.hasStream()) {
        if (filter) throw errors.invalidArgument('Filters apply to $all only.');
        if (subscription) {
          if (!forwards) throw errors.invalidArgument('Subscriptions read forwards.');
          await subscribeToStream(out, o, structured);
        } else await readStream(out, o, structured);
      } else if (o.hasAll()) {
        if (subscription) {
          if (!forwards) throw errors.invalidArgument('Subscriptions read forwards.');
          await subscribeToAll(out, o, structured, filter);
        } else await readAll(out, o, structured, filter);
      } else throw errors.invalidArgument('A read needs a stream or $all.');
    };
    run().then(
      () => out.end(),
      (error: unknown) => out.fail(error),
    );
  };
};
