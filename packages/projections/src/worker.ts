import { AgreementCalendarSchedule } from './calendar-schedule';
import { type LeasedWork, LeaseHolder } from './leases';
import type { Logger } from './runner';
import type { DmsRuntime } from './runtime';
import { WebhookDispatcher, webhookSigningKey } from './webhooks';

/** The lease names of the two pieces of background work that are not projections. */
export const WEBHOOK_DISPATCHER = 'webhook_dispatcher';
export const AGREEMENT_CALENDAR = 'agreement_calendar';

/**
 * A dispatcher's claim on a delivery, in a worker: not a multiple of 30 s, so that a claim is told apart from a backoff
 * (`WebhookDispatcher.releaseOrphanedClaims`) when a worker takes the dispatcher over from one that died.
 */
const WORKER_DELIVERY_LEASE_MS = 45_000;

export interface WorkerOptions {
  readonly owner?: string;
  readonly checkEveryMs?: number;
  readonly now?: () => Date;
  readonly logger: Logger;
  /** How often the dispatcher looks for due deliveries; 1000 ms by default. */
  readonly dispatchEveryMs?: number;
}

/**
 * Everything a `dms worker` does, each piece under a lease of its own (leases.ts): every projection and process manager
 * (including the webhook and notification outboxes), the webhook dispatcher, and the agreement calendar with the
 * date-driven notifications. Several workers on one PostgreSQL database share the pieces between them.
 */
export const workerLeases = async (runtime: DmsRuntime, options: WorkerOptions): Promise<LeaseHolder> => {
  const { runner } = runtime;
  const projections: LeasedWork[] = runner.projections.map((p) => ({
    name: p.name,
    start: () => runner.start([p.name]),
    stop: () => runner.stop([p.name]),
  }));
  // Workers starting together may race to make the key's table ("create table if not exists" is not concurrency-safe):
  // the loser tries again and reads the winner's key.
  const signingKey = await webhookSigningKey(runner.db).catch(() => webhookSigningKey(runner.db));
  let dispatcher: WebhookDispatcher | null = null;
  const webhooks: LeasedWork = {
    name: WEBHOOK_DISPATCHER,
    start: () => {
      const d = new WebhookDispatcher(runner.db, { signingKey, logger: options.logger, leaseMs: WORKER_DELIVERY_LEASE_MS });
      dispatcher = d;
      // Deliveries a dead owner had claimed are due again at once rather than after their claim runs out.
      void d
        .releaseOrphanedClaims()
        .then((n) => n > 0 && options.logger.info('webhook deliveries of a previous dispatcher released', { deliveries: n }))
        .catch((error: Error) =>
          options.logger.warn('could not release claimed webhook deliveries; they come back when their claim ends', { error: error.message }),
        )
        .finally(() => {
          if (dispatcher === d) d.start(options.dispatchEveryMs ?? 1000);
        });
    },
    stop: async () => {
      const d = dispatcher;
      dispatcher = null;
      await d?.stop();
    },
  };
  let calendar: AgreementCalendarSchedule | null = null;
  const agreements: LeasedWork = {
    name: AGREEMENT_CALENDAR,
    start: () => {
      calendar = new AgreementCalendarSchedule(runner, runtime.store, runtime.bus, { ...(options.now ? { now: options.now } : {}), logger: options.logger });
      calendar.start();
    },
    stop: async () => {
      const c = calendar;
      calendar = null;
      await c?.stop();
    },
  };
  return new LeaseHolder(runner.db, [...projections, webhooks, agreements], {
    ...(options.owner ? { owner: options.owner } : {}),
    ...(options.checkEveryMs ? { checkEveryMs: options.checkEveryMs } : {}),
    logger: options.logger,
  });
};
