import type { CommandBus } from '@dms/app';
import type { Actor } from '@dms/domain';
import { contexts, ok } from './commands';

/**
 * The world of the resource library's tests (resources.test.ts, resource-notifications.test.ts): an admin, anna of sales
 * who writes the resources, and three dealers, two gold (north, south) and one silver (north), onboarded on day 1 of
 * November 2026.
 */
export const admin: Actor = { id: 'admin-1', role: 'admin' };
export const anna: Actor = { id: 'anna.sales', role: 'sales' };
/** Command contexts, as the admin unless told. */
export const libraryContexts = () => contexts('cmd', admin);
/** 09:00 UTC on `day` November 2026, ISO. */
export const at = (day: number) => new Date(Date.UTC(2026, 10, day, 9)).toISOString();
export const PARTNERS = [
  { partnerId: 'acme', tier: 'gold', region: 'north' },
  { partnerId: 'bolt', tier: 'gold', region: 'south' },
  { partnerId: 'cora', tier: 'silver', region: 'north' },
] as const;

/** Onboards `PARTNERS` (credit limit EUR 10,000.00 each, no contacts). */
export const onboardPartners = async (bus: CommandBus, ctx: (actor?: Actor) => { commandId: string; actor: Actor }) => {
  for (const p of PARTNERS) {
    const creditLimit = { amountMinor: 1_000_000, currency: 'EUR' };
    ok(await bus.execute({ type: 'OnboardPartner', data: { ...p, name: p.partnerId.toUpperCase(), creditLimit, contacts: [], onboardedAt: at(1) } }, ctx()));
  }
};
