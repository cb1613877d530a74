import { aggregates, partnerStream } from '@dms/domain';
import { type EventStore, loadAggregate } from '@dms/eventstore';

/**
 * The first of `partnerIds` that names no onboarded dealer, with its place in the list, or undefined when every one is
 * known: a webhook's audience or a resource's dealers naming a mistyped dealer would otherwise reach nobody, silently.
 */
export const firstUnknownPartner = async (store: EventStore, partnerIds: readonly string[]): Promise<{ index: number; partnerId: string } | undefined> => {
  const known = await Promise.all(partnerIds.map(async (id) => (await loadAggregate(store, aggregates.partners, partnerStream(id))).state.exists));
  const index = known.indexOf(false);
  return index < 0 ? undefined : { index, partnerId: partnerIds[index]! };
};
