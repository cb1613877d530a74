import { createHash, createHmac, randomBytes } from 'node:crypto';
import { audienceWants, eventSchemas, type WebhookEvent, webhookWants } from '@dms/domain';
import { isDatabaseUnavailable, type RecordedEvent } from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import { interpretRobotAnswer, openRobotCredentials, type RobotKind, robotMessage, robotRequestUrl } from './connectors';
import type { Projection } from './projection';
import { decodeCursor } from './queries/cursor';
import { limitOf, type Page, page } from './queries/stock-shared';
import type { Logger } from './runner';
import type { ReadModels } from './schema';
import { registersAudience, SubjectMemory, seedWebhookSubjects } from './webhook-subjects';
import type { DeliveryStatus, WebhookDeliveriesTable, WebhooksTable } from './webhooks-schema';

/**
 * The webhook outbox: keeps the subscriptions (from `webhook-<id>` events) and, for every event after a subscription was
 * registered that it wants, one delivery row, written in the same transaction as the checkpoint. So each wanted event
 * gets exactly one delivery, however often the runner restarts; `WebhookDispatcher` then sends them, at least once.
 * It records what was done once, so it is never rebuilt (a replay would send every event again).
 *
 * A subscription with an audience (dealers, regions) takes only the events about them (`audienceWants`). What an event
 * does not say itself it learns here: the dealer of a stream from the stream's first event (an order's `OrderPlaced`:
 * its `OrderApproved` names only the order), and each dealer's region from `PartnerOnboarded`.
 */
export const webhookOutbox: Projection = {
  name: 'webhook_outbox',
  // 2: DingTalk and WeCom robots (columns `kind` and `robot`, added in place: this projection is never rebuilt).
  // 3: audiences (column `audience`; tables `webhook_stream_partners`, `webhook_partner_regions`, seeded from the orders
  // and partners read models when they are made, since the outbox saw those events before it learned from them).
  version: 3,
  replayable: false,
  // Every event type: any may be wanted, `*` wants them all.
  eventTypes: [...eventSchemas.keys()],
  tables: ['webhooks', 'webhook_deliveries', 'webhook_stream_partners', 'webhook_partner_regions'],
  async createTables(db) {
    await db.schema
      .createTable('webhooks')
      .ifNotExists()
      .addColumn('webhook_id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('event_types', sql`text[]`, (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('secret_version', 'integer', (c) => c.notNull())
      .addColumn('registered_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`alter table webhooks add column if not exists kind text not null default 'signed'`.execute(db);
    await sql`alter table webhooks add column if not exists robot jsonb`.execute(db);
    await sql`alter table webhooks add column if not exists audience jsonb`.execute(db);
    await db.schema
      .createTable('webhook_stream_partners')
      .ifNotExists()
      .addColumn('stream_id', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('webhook_partner_regions')
      .ifNotExists()
      .addColumn('partner_id', 'text', (c) => c.primaryKey())
      .addColumn('region', 'text', (c) => c.notNull())
      .execute();
    await seedWebhookSubjects(db);
    await db.schema
      .createTable('webhook_deliveries')
      .ifNotExists()
      .addColumn('webhook_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('position', 'numeric(20, 0)', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('stream_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
      .addColumn('last_attempt_at', 'timestamptz')
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_deliveries_pkey', ['webhook_id', 'event_id'])
      .execute();
    // What the dispatcher asks for: due pending deliveries, oldest event first.
    await db.schema
      .createIndex('webhook_deliveries_due_idx')
      .ifNotExists()
      .on('webhook_deliveries')
      .columns(['next_attempt_at', 'position'])
      .where(sql.ref('status'), '=', 'pending')
      .execute();
    await db.schema.createIndex('webhook_deliveries_list_idx').ifNotExists().on('webhook_deliveries').columns(['webhook_id', 'position']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const hooks = new Map((await db.selectFrom('webhooks').selectAll().where('status', '!=', 'removed').execute()).map((w) => [w.webhook_id, w]));
    const changed = new Map<string, WebhooksTable>();
    const removed: string[] = [];
    const deliveries: WebhookDeliveriesTable[] = [];
    const subjects = await SubjectMemory.load(db, events, [...hooks.values()].some((h) => h.audience) || events.some(registersAudience));
    for (const e of events) {
      const subject = subjects.learn(e);
      if (e.streamId.startsWith('webhook-')) {
        const row = evolveHook(hooks.get((e.data as { webhookId: string }).webhookId), e as unknown as WebhookEvent);
        if (row) {
          changed.set(row.webhook_id, row);
          if (row.status === 'removed') {
            hooks.delete(row.webhook_id);
            removed.push(row.webhook_id);
          } else hooks.set(row.webhook_id, row);
        }
      }
      for (const hook of hooks.values()) {
        if (!webhookWants(hook.event_types, e.type) || !audienceWants(hook.audience, subject())) continue;
        deliveries.push({
          webhook_id: hook.webhook_id,
          event_id: e.eventId,
          position: e.globalPosition.toString(),
          event_type: e.type,
          stream_id: e.streamId,
          payload:
            hook.kind === 'signed' || !hook.robot
              ? payloadOf(e)
              : robotMessage(
                  hook.kind,
                  hook.robot.language,
                  hook.robot.consoleUrl,
                  { type: e.type, streamId: e.streamId, data: e.data },
                  hook.robot.format ?? 'markdown',
                ),
          status: 'pending',
          attempts: 0,
          next_attempt_at: e.recordedAt,
          last_attempt_at: null,
          last_status: null,
          last_error: null,
          delivered_at: null,
          created_at: e.recordedAt,
        });
      }
    }
    for (const row of changed.values()) {
      await db
        .insertInto('webhooks')
        .values({
          ...row,
          event_types: sql`${row.event_types}::text[]` as never,
          robot: row.robot === null ? null : (JSON.stringify(row.robot) as never),
          audience: row.audience === null ? null : (JSON.stringify(row.audience) as never),
        })
        .onConflict((oc) =>
          oc.column('webhook_id').doUpdateSet({
            status: row.status,
            secret_version: row.secret_version,
            updated_at: row.updated_at,
          }),
        )
        .execute();
    }
    await subjects.save(db);
    for (let i = 0; i < deliveries.length; i += 500) {
      await db
        .insertInto('webhook_deliveries')
        .values(deliveries.slice(i, i + 500).map((d) => ({ ...d, payload: JSON.stringify(d.payload) })))
        .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
        .execute();
    }
    // After the inserts: a delivery queued earlier in this very batch is cancelled too.
    if (removed.length > 0) {
      await db
        .updateTable('webhook_deliveries')
        .set({ status: 'cancelled', last_error: 'webhook removed' })
        .where('webhook_id', 'in', removed)
        .where('status', '=', 'pending')
        .execute();
    }
  },
};

const evolveHook = (row: WebhooksTable | undefined, event: WebhookEvent): WebhooksTable | undefined => {
  switch (event.type) {
    case 'WebhookRegistered': {
      const d = event.data;
      return {
        webhook_id: d.webhookId,
        url: d.url,
        event_types: d.eventTypes,
        description: d.description ?? null,
        status: 'active',
        kind: d.kind ?? 'signed',
        robot: d.robot ?? null,
        audience: d.audience ?? null,
        secret_version: d.secretVersion,
        registered_at: d.registeredAt,
        updated_at: d.registeredAt,
      };
    }
    case 'WebhookPaused':
      return row && { ...row, status: 'paused', updated_at: event.data.pausedAt };
    case 'WebhookResumed':
      return row && { ...row, status: 'active', updated_at: event.data.resumedAt };
    case 'WebhookSecretRotated':
      return row && { ...row, secret_version: event.data.secretVersion, updated_at: event.data.rotatedAt };
    case 'WebhookRemoved':
      return row && { ...row, status: 'removed', updated_at: event.data.removedAt };
  }
};

/** The body a subscriber receives: the event, and who caused it. */
export interface WebhookPayload {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly position: string;
  readonly recordedAt: string;
  readonly data: unknown;
  readonly actor: unknown;
  readonly correlationId: string;
  readonly causationId: string | null;
}

const payloadOf = (e: RecordedEvent): WebhookPayload => ({
  id: e.eventId,
  type: e.type,
  streamId: e.streamId,
  streamVersion: e.streamVersion,
  position: e.globalPosition.toString(),
  recordedAt: e.recordedAt.toISOString(),
  data: e.data,
  actor: e.metadata.actor,
  correlationId: e.metadata.correlationId,
  causationId: e.metadata.causationId ?? null,
});

// ---------------------------------------------------------------------------------------------------------------------
// Signing

/**
 * The installation's webhook signing key: `DMS_WEBHOOK_KEY` when set, otherwise one made at first use and kept in the
 * database (`dms_secrets.keys`, outside the read models, so no rebuild touches it; back it up with the events).
 * Each webhook's secret is derived from it, so no secret is stored, and none ever appears in an event.
 */
export const webhookSigningKey = async (db: Kysely<ReadModels>, env: NodeJS.ProcessEnv = process.env): Promise<string> => {
  if (env.DMS_WEBHOOK_KEY) {
    if (env.DMS_WEBHOOK_KEY.length < 32) throw new Error('DMS_WEBHOOK_KEY must be at least 32 characters of randomness.');
    return env.DMS_WEBHOOK_KEY;
  }
  await sql`create schema if not exists dms_secrets`.execute(db);
  await sql`create table if not exists dms_secrets.keys (name text primary key, value text not null, created_at timestamptz not null default now())`.execute(
    db,
  );
  await sql`insert into dms_secrets.keys (name, value) values ('webhook-signing', ${randomBytes(32).toString('hex')}) on conflict (name) do nothing`.execute(
    db,
  );
  const { rows } = await sql<{ value: string }>`select value from dms_secrets.keys where name = 'webhook-signing'`.execute(db);
  return rows[0]!.value;
};

/** A webhook's signing secret, version by version: shown when it is registered or rotated, never stored. */
export const webhookSecret = (signingKey: string, webhookId: string, version: number): string =>
  `whsec_${createHmac('sha256', signingKey).update(`${webhookId}:${version}`).digest('base64url')}`;

/** `DMS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the webhook's secret>`. */
export const signatureHeader = (secret: string, body: string, unixSeconds: number): string =>
  `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;

/** A fingerprint of a secret, safe to show and log: which version a subscriber holds. */
export const secretFingerprint = (secret: string): string => createHash('sha256').update(secret).digest('hex').slice(0, 12);

// ---------------------------------------------------------------------------------------------------------------------
// Sending

export interface DispatcherOptions {
  readonly signingKey: string;
  /** Attempts before a delivery is given up as `failed` (a person may retry it). Default 8. */
  readonly maxAttempts?: number;
  /** Wait before attempt n+1 after n failures. Default 30 s x 2^(n-1), at most 6 h. */
  readonly backoffMs?: (failures: number) => number;
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number;
  /** How long a claimed delivery is reserved for the worker sending it: a crashed worker's deliveries come back after it. */
  readonly leaseMs?: number;
  /** Deliveries claimed per pass. Default 20. */
  readonly batchSize?: number;
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
}

export interface DispatchResult {
  readonly attempted: number;
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
}

const defaultBackoff = (failures: number) => Math.min(30_000 * 2 ** (failures - 1), 6 * 3600_000);

/**
 * Sends due webhook deliveries: claims a batch under a short lease (one statement, so no transaction stays open while
 * requests run, and several workers never send the same delivery at once), posts each with its signature, and records
 * the outcome: 2xx delivered; anything else retried with backoff, then `failed` after `maxAttempts`. Paused webhooks
 * wait; a worker that dies mid-send leaves its deliveries to be sent again when the lease ends (at least once: a
 * subscriber dedupes by `DMS-Event-Id`).
 */
export class WebhookDispatcher {
  readonly #timer: { handle: NodeJS.Timeout | null; running: Promise<unknown> | null } = { handle: null, running: null };

  constructor(
    private readonly db: Kysely<ReadModels>,
    private readonly options: DispatcherOptions,
  ) {}

  async dispatchDue(): Promise<DispatchResult> {
    const now = this.options.now?.() ?? new Date();
    const lease = new Date(now.getTime() + (this.options.leaseMs ?? 60_000));
    const claimed = await this.db
      .updateTable('webhook_deliveries as d')
      .set({ next_attempt_at: lease, attempts: sql`d.attempts + 1`, last_attempt_at: now })
      .from('webhooks as w')
      .whereRef('w.webhook_id', '=', 'd.webhook_id')
      .where(
        sql<boolean>`(d.webhook_id, d.event_id) in (
          select q.webhook_id, q.event_id from webhook_deliveries q join webhooks h on h.webhook_id = q.webhook_id
          where q.status = 'pending' and q.next_attempt_at <= ${now} and h.status = 'active'
          order by q.next_attempt_at, q.position limit ${this.options.batchSize ?? 20} for update of q skip locked)`,
      )
      .returning(['d.webhook_id', 'd.event_id', 'd.payload', 'd.attempts', 'd.event_type', 'w.url', 'w.secret_version', 'w.kind', 'w.robot'])
      .execute();
    const outcomes = await Promise.all(claimed.map((d) => this.#send(d, now)));
    return {
      attempted: claimed.length,
      delivered: outcomes.filter((o) => o === 'delivered').length,
      retrying: outcomes.filter((o) => o === 'pending').length,
      failed: outcomes.filter((o) => o === 'failed').length,
    };
  }

  async #send(
    d: {
      webhook_id: string;
      event_id: string;
      payload: unknown;
      attempts: number;
      event_type: string;
      url: string;
      secret_version: number;
      kind: WebhooksTable['kind'];
      robot: WebhooksTable['robot'];
    },
    now: Date,
  ): Promise<'delivered' | 'pending' | 'failed'> {
    const body = JSON.stringify(d.payload);
    let status: number | null = null;
    let error: string | null = null;
    /** A robot's answer that sending again cannot change (a wrong signature or key, a refused message): given up at once. */
    let rejected = false;
    try {
      let request: { url: string; headers: Record<string, string> };
      try {
        request = this.#request(d, body, now);
      } catch (e) {
        rejected = true;
        throw e;
      }
      const response = await (this.options.fetch ?? fetch)(request.url, {
        method: 'POST',
        headers: request.headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      status = response.status;
      if (response.status < 200 || response.status >= 300) {
        error = `HTTP ${response.status}`;
        await response.body?.cancel().catch(() => undefined);
      } else if (d.kind === 'signed') await response.body?.cancel().catch(() => undefined);
      else {
        // Robots answer 200 whatever happened; what happened is in the body.
        const answer = interpretRobotAnswer(d.kind, (await response.text()).slice(0, 10_000));
        if (answer.outcome !== 'delivered') {
          error = answer.error;
          rejected = answer.outcome === 'rejected';
        }
      }
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? 'timed out' : (((e as Error).cause as Error | undefined)?.message ?? (e as Error).message);
    }
    const outcome = error === null ? 'delivered' : rejected || d.attempts >= (this.options.maxAttempts ?? 8) ? 'failed' : 'pending';
    const retryAt = new Date(now.getTime() + (this.options.backoffMs ?? defaultBackoff)(d.attempts));
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: outcome,
        last_status: status,
        last_error: error,
        ...(outcome === 'delivered' ? { delivered_at: now } : {}),
        ...(outcome === 'pending' ? { next_attempt_at: retryAt } : {}),
      })
      .where('webhook_id', '=', d.webhook_id)
      .where('event_id', '=', d.event_id)
      .execute();
    if (outcome !== 'delivered')
      this.options.logger?.warn('webhook delivery failed', {
        webhookId: d.webhook_id,
        eventId: d.event_id,
        attempt: d.attempts,
        error,
        giveUp: outcome === 'failed',
        rejected,
      });
    return outcome;
  }

  /** Where and how a delivery is posted: DMS's signed JSON, or a robot's message on the address its platform authenticates. */
  #request(
    d: {
      webhook_id: string;
      event_id: string;
      attempts: number;
      event_type: string;
      url: string;
      secret_version: number;
      kind: WebhooksTable['kind'];
      robot: WebhooksTable['robot'];
    },
    body: string,
    now: Date,
  ): { url: string; headers: Record<string, string> } {
    if (d.kind === 'signed' || !d.robot) {
      const secret = webhookSecret(this.options.signingKey, d.webhook_id, d.secret_version);
      return {
        url: d.url,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'DMS-Webhooks/1',
          'dms-webhook-id': d.webhook_id,
          'dms-event-id': d.event_id,
          'dms-event-type': d.event_type,
          'dms-delivery-attempt': String(d.attempts),
          'dms-signature': signatureHeader(secret, body, Math.floor(now.getTime() / 1000)),
        },
      };
    }
    const credentials = openRobotCredentials(this.options.signingKey, d.webhook_id, d.robot.credentials);
    if (credentials.kind !== (d.kind as RobotKind)) throw new Error(`robot credentials are for ${credentials.kind}, not ${d.kind}`);
    return {
      url: robotRequestUrl(d.url, credentials, now),
      headers: { 'content-type': 'application/json;charset=utf-8', 'user-agent': 'DMS-Webhooks/1' },
    };
  }

  /**
   * Gives back, at once, deliveries claimed by a dispatcher that is gone: those still reserved (`next_attempt_at` exactly
   * the lease after the attempt began, which no backoff of 30 s x 2^n or 6 h is when the lease is not such a multiple)
   * become due now, their unrecorded attempt uncounted. Only for a dispatcher that knows it is the only one (a worker
   * holding the dispatcher's lease): another live dispatcher's deliveries would be sent twice. Returns how many.
   */
  async releaseOrphanedClaims(): Promise<number> {
    const now = this.options.now?.() ?? new Date();
    const leaseMs = this.options.leaseMs ?? 60_000;
    const released = await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: now, attempts: sql`greatest(attempts - 1, 0)` })
      .where('status', '=', 'pending')
      .where('next_attempt_at', '>', now)
      .where(sql<boolean>`next_attempt_at = last_attempt_at + make_interval(secs => ${leaseMs / 1000})`)
      .executeTakeFirst();
    return Number(released.numUpdatedRows);
  }

  /**
   * Sends due deliveries every `intervalMs` until `stop()`; a pass never overlaps the previous one. A failed pass is retried
   * with backoff: while the database cannot be reached, at most every 2 s and logged once, so deliveries resume by
   * themselves when it is back; any other failure is logged at each attempt, which back off to one every 30 s.
   */
  start(intervalMs = 1000): void {
    if (this.#timer.handle) return;
    let wait = intervalMs;
    let unavailableSince: number | null = null;
    const tick = () => {
      this.#timer.running = this.dispatchDue()
        .then(() => {
          wait = intervalMs;
          if (unavailableSince === null) return;
          this.options.logger?.info('database reachable again: webhook deliveries resumed', { unavailableForMs: Date.now() - unavailableSince });
          unavailableSince = null;
        })
        .catch((e) => {
          const error = (e as Error).message;
          if (isDatabaseUnavailable(e)) {
            if (unavailableSince === null) this.options.logger?.warn('database unavailable: webhook deliveries wait and retry', { error });
            unavailableSince ??= Date.now();
            wait = Math.min(wait * 2, Math.max(intervalMs, 2000));
          } else {
            wait = Math.min(wait * 2, Math.max(intervalMs, 30_000));
            this.options.logger?.error('webhook dispatch failed', { error, retryInMs: wait });
          }
        })
        .finally(() => {
          if (this.#timer.handle) this.#timer.handle = setTimeout(tick, wait);
        });
    };
    this.#timer.handle = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.#timer.handle) clearTimeout(this.#timer.handle);
    this.#timer.handle = null;
    await this.#timer.running;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Queries

export interface WebhookView {
  readonly webhookId: string;
  readonly url: string;
  readonly eventTypes: string[];
  readonly description: string | null;
  readonly status: 'active' | 'paused' | 'removed';
  readonly kind: 'signed' | 'dingtalk' | 'wecom';
  /** A robot's language, console address and credentials' fingerprint (never the credentials); null for `signed`. */
  readonly robot: {
    readonly language: 'zh-CN' | 'en';
    readonly consoleUrl: string;
    readonly credentialsFingerprint: string;
    readonly format: 'markdown' | 'card';
  } | null;
  /** The dealers and regions it is for (either list may be empty); null: every event of its types. */
  readonly audience: { partnerIds: string[]; regions: string[] } | null;
  readonly secretVersion: number;
  readonly registeredAt: string;
  readonly updatedAt: string;
  readonly deliveries: { readonly pending: number; readonly delivered: number; readonly failed: number; readonly cancelled: number };
  readonly lastDeliveredAt: string | null;
}

/** Every webhook with its delivery counts, removed ones last. */
export const listWebhooks = async (db: Kysely<ReadModels>): Promise<WebhookView[]> => {
  const rows = await db
    .selectFrom('webhooks as w')
    .leftJoin('webhook_deliveries as d', 'd.webhook_id', 'w.webhook_id')
    .selectAll('w')
    .select([
      sql<number>`count(d.event_id) filter (where d.status = 'pending')::int`.as('pending'),
      sql<number>`count(d.event_id) filter (where d.status = 'delivered')::int`.as('delivered'),
      sql<number>`count(d.event_id) filter (where d.status = 'failed')::int`.as('failed'),
      sql<number>`count(d.event_id) filter (where d.status = 'cancelled')::int`.as('cancelled'),
      sql<Date | null>`max(d.delivered_at)`.as('last_delivered_at'),
    ])
    .groupBy('w.webhook_id')
    .orderBy(sql`w.status = 'removed'`)
    .orderBy('w.webhook_id')
    .execute();
  return rows.map((r) => ({
    webhookId: r.webhook_id,
    url: r.url,
    eventTypes: r.event_types,
    description: r.description,
    status: r.status,
    kind: r.kind,
    robot: r.robot && {
      language: r.robot.language,
      consoleUrl: r.robot.consoleUrl,
      credentialsFingerprint: r.robot.credentialsFingerprint,
      format: r.robot.format ?? 'markdown',
    },
    audience: r.audience && { partnerIds: r.audience.partnerIds ?? [], regions: r.audience.regions ?? [] },
    secretVersion: r.secret_version,
    registeredAt: r.registered_at,
    updatedAt: r.updated_at,
    deliveries: { pending: r.pending, delivered: r.delivered, failed: r.failed, cancelled: r.cancelled },
    lastDeliveredAt: r.last_delivered_at ? new Date(r.last_delivered_at).toISOString() : null,
  }));
};

export interface DeliveryView {
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly position: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: string | null;
}

/** A webhook's deliveries, newest event first, keyset-paginated by position. */
export const listWebhookDeliveries = async (
  db: Kysely<ReadModels>,
  filter: { webhookId: string; status?: DeliveryStatus | undefined; limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<DeliveryView>> => {
  const limit = limitOf(filter.limit);
  let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', filter.webhookId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.cursor) {
    const [position] = decodeCursor(filter.cursor, 1) as [string];
    q = q.where(sql<boolean>`position < ${position}::numeric`);
  }
  const rows = await q
    .orderBy('position', 'desc')
    .limit(limit + 1)
    .execute();
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return page(
    rows,
    limit,
    (r) => ({
      eventId: r.event_id,
      eventType: r.event_type,
      streamId: r.stream_id,
      position: String(r.position),
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
      lastAttemptAt: iso(r.last_attempt_at),
      lastStatus: r.last_status,
      lastError: r.last_error,
      deliveredAt: iso(r.delivered_at),
    }),
    (r) => [String(r.position)],
  );
};

/** Sends a failed (or cancelled) delivery again at the next pass, with a fresh count of attempts. False if there is none. */
export const retryWebhookDelivery = async (db: Kysely<ReadModels>, webhookId: string, eventId: string, now: Date): Promise<boolean> => {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, last_error: null })
    .where('webhook_id', '=', webhookId)
    .where('event_id', '=', eventId)
    .where('status', 'in', ['failed', 'cancelled'])
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
};
