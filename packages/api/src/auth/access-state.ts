import type { CommandBus } from '@dms/app';
import { type Aggregate, aggregates, apiKeyStream, EMAIL_REGISTRY_STREAM, type Message, partnerStream, sessionStream, userStream } from '@dms/domain';
import type { EventStore } from '@dms/eventstore';

interface Entry {
  readonly aggregate: string;
  readonly state: unknown;
  readonly version: number;
  readonly checkedAt: number;
}

/**
 * Authentication's view of the streams that grant access: API keys, users, sessions and partners, read from their own
 * streams (never from a projection, which a long transaction anywhere on the server can hold back), so that revoking a
 * key or suspending a user or partner takes effect at the next request.
 *
 * Each stream's state is kept for `maxStalenessMs` and then brought up to date by reading only the events after the
 * version it holds (usually none: one indexed query). A command this process accepts on a cached stream drops it at once
 * (`CommandBus.onAccepted`), so within one process a change is seen by the very next request; a change made by another
 * process (a second API server, the CLI on a PostgreSQL server) is seen within `maxStalenessMs`.
 */
export class AccessState {
  readonly #entries = new Map<string, Entry>();
  readonly #unsubscribe: () => void;

  constructor(
    private readonly store: EventStore,
    bus: CommandBus,
    private readonly maxStalenessMs = 1000,
    private readonly capacity = 20_000,
  ) {
    this.#unsubscribe = bus.onAccepted((accepted) => {
      this.#entries.delete(accepted.streamId);
      for (const event of accepted.events) this.#entries.delete(event.streamId);
    });
  }

  close(): void {
    this.#unsubscribe();
    this.#entries.clear();
  }

  /** The state of `streamId`, at most `maxStalenessMs` old, or brought up to date now when `fresh`. */
  async load<C extends Message, E extends Message, S>(aggregate: Aggregate<C, E, S>, streamId: string, fresh = false): Promise<S> {
    const now = Date.now();
    const cached = this.#entries.get(streamId);
    const usable = cached?.aggregate === aggregate.name ? cached : undefined;
    if (usable && !fresh && now - usable.checkedAt < this.maxStalenessMs) return usable.state as S;
    let state = (usable?.state as S | undefined) ?? aggregate.decider.initialState;
    let version = usable?.version ?? -1;
    for await (const recorded of this.store.readStream(streamId, { from: version + 1 })) {
      const parsed = aggregate.eventSchema.safeParse({ type: recorded.type, data: recorded.data });
      if (!parsed.success) throw new Error(`${streamId}@${recorded.streamVersion} is not a ${aggregate.name} event`);
      state = aggregate.decider.evolve(state, parsed.data);
      version = recorded.streamVersion;
    }
    this.#entries.delete(streamId);
    this.#entries.set(streamId, { aggregate: aggregate.name, state, version, checkedAt: now });
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
    return state;
  }

  apiKey(keyId: string) {
    return this.load(aggregates.apiKeys, apiKeyStream(keyId));
  }

  user(userId: string, fresh = false) {
    return this.load(aggregates.users, userStream(userId), fresh);
  }

  session(sessionId: string) {
    return this.load(aggregates.sessions, sessionStream(sessionId));
  }

  partner(partnerId: string) {
    return this.load(aggregates.partners, partnerStream(partnerId));
  }

  /** The user id an e-mail address belongs to, from the registry stream (read afresh before saying "nobody"). */
  async userIdOf(email: string): Promise<string | undefined> {
    return (
      (await this.load(aggregates.emailRegistry, EMAIL_REGISTRY_STREAM)).holders.get(email) ??
      (await this.load(aggregates.emailRegistry, EMAIL_REGISTRY_STREAM, true)).holders.get(email)
    );
  }
}
