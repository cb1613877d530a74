import type { CommandBus } from '@dms/app';
import type { Actor } from '@dms/domain';
import type { EventStore } from '@dms/eventstore';
import { type CalendarRun, runAgreementCalendar } from './agreement-calendar';
import { raiseDueNotifications } from './notifications';
import { refreshPlannerStatistics } from './planner-statistics';
import type { ProjectionRunner } from './runner';

export interface CalendarScheduleOptions {
  /** The clock: the calendar runs as of its date (UTC). */
  readonly now?: () => Date;
  /** How often to look whether the day has changed; a minute by default. */
  readonly checkEveryMs?: number;
  readonly logger?: { info(msg: string, data?: object): void; warn(msg: string, data?: object): void };
}

const ACTOR: Actor = { id: 'agreement-calendar', role: 'system' };

/**
 * The agreement calendar (and the notification rules that depend on the date) in a running server: once at start and again on the first check of every new day (UTC), so that
 * agreements are activated on their effective date and expired after their last day without anyone calling
 * `POST /agreements/calendar`. Each run first waits for the `agreements` read model to hold everything written so far; a run
 * that could not finish (the database away, the read model behind) is tried again at the next check. The calendar's command
 * ids derive from the agreement and the action, so a run repeated by a restart, or by a second server, changes nothing.
 */
export class AgreementCalendarSchedule {
  readonly #now: () => Date;
  #lastDay: string | null = null;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<CalendarRun | null> | null = null;

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly store: EventStore,
    private readonly bus: CommandBus,
    private readonly options: CalendarScheduleOptions = {},
  ) {
    this.#now = options.now ?? (() => new Date());
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.options.checkEveryMs ?? 60_000);
    this.#timer.unref();
    void this.tick();
  }

  /** Runs the calendar if it has not run today; resolves to the run, or null when there was nothing to do or it failed. */
  tick(): Promise<CalendarRun | null> {
    this.#running ??= this.#runIfNewDay().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  async #runIfNewDay(): Promise<CalendarRun | null> {
    const asOf = this.#now().toISOString().slice(0, 10);
    if (asOf === this.#lastDay) return null;
    try {
      const head = await this.store.headPosition();
      if (head !== null && !(await this.runner.waitForPosition(head, 30_000, ['agreements', 'performance']))) return null;
      const run = await runAgreementCalendar(this.runner.db, this.bus, asOf, ACTOR);
      // The notification rules that depend on the date (agreements expiring within 30 days, overdue actions), as of the same day.
      const due = await raiseDueNotifications(this.bus, this.runner.db, asOf, this.#now());
      if (due.raised > 0) this.options.logger?.info('notifications raised', { asOf, ...due });
      this.#lastDay = asOf;
      // The planner's statistics, which embedded PGlite never refreshes by itself (planner-statistics.ts).
      await refreshPlannerStatistics(this.runner.db).catch((error: Error) =>
        this.options.logger?.warn('planner statistics not refreshed', { asOf, error: error.message }),
      );
      if (run.activated.length + run.expired.length + run.refused.length > 0) {
        this.options.logger?.info('agreement calendar ran', {
          asOf,
          activated: run.activated,
          expired: run.expired,
          refused: run.refused.map((r) => ({ agreementId: r.agreementId, action: r.action, code: r.error.code })),
        });
      }
      return run;
    } catch (error) {
      this.options.logger?.warn('agreement calendar could not run; it tries again at the next check', { asOf, error: (error as Error).message });
      return null;
    }
  }
}
