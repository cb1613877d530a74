import type { CommandBus } from '@dms/app';
import type { Actor, DomainError } from '@dms/domain';
import type { Kysely } from 'kysely';
import { agreementsDue } from './queries/agreements';
import type { ReadModels } from './schema';

export interface CalendarRun {
  readonly activated: string[];
  readonly expired: string[];
  readonly refused: { readonly agreementId: string; readonly action: 'activate' | 'expire'; readonly error: DomainError }[];
}

/**
 * The agreement calendar, run once a day (`dms agreements calendar`, or `POST /agreements/calendar`): activates every
 * signed agreement whose effective date has come and expires every agreement past its last day, as of `asOf` (a date).
 * Command ids are derived from the agreement and the action, so running it twice a day changes nothing the second time.
 * An activation the dealer's other agreements block is reported, not forced.
 */
export const runAgreementCalendar = async (db: Kysely<ReadModels>, bus: CommandBus, asOf: string, actor: Actor): Promise<CalendarRun> => {
  const due = await agreementsDue(db, asOf);
  const run: CalendarRun = { activated: [], expired: [], refused: [] };
  const at = `${asOf}T00:00:00.000Z`;
  for (const agreementId of due.toExpire) {
    const result = await bus.execute({ type: 'ExpireAgreement', data: { agreementId, expiredAt: at } }, { commandId: `calendar:expire:${agreementId}`, actor });
    if (result._tag === 'Left') run.refused.push({ agreementId, action: 'expire', error: result.left });
    else run.expired.push(agreementId);
  }
  for (const agreementId of due.toActivate) {
    const result = await bus.execute(
      { type: 'ActivateAgreement', data: { agreementId, activatedAt: at } },
      { commandId: `calendar:activate:${agreementId}`, actor },
    );
    if (result._tag === 'Left') run.refused.push({ agreementId, action: 'activate', error: result.left });
    else run.activated.push(agreementId);
  }
  return run;
};
