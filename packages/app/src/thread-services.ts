import { aggregates, agreementStream, OpenThread, orderStream, partnerStream, settlementStream, stockStream, type ThreadLink, threadStream } from '@dms/domain';
import { type EventStore, handleCommand, invalidCommand, loadAggregate } from '@dms/eventstore';
import { left } from 'fp-ts/Either';
import type { ApplicationService, CommandResult } from './service';

/**
 * Opening a collaboration thread needs more than the thread's own stream: the partner must exist (and not be terminated),
 * and a linked order, agreement or settlement statement must exist and belong to that partner (a stock item must exist).
 * A link to another partner's resource is refused exactly like a missing one, so a dealer learns nothing from it.
 */

const linkNotFound = (link: ThreadLink): CommandResult =>
  left({ code: 'LINKED_RESOURCE_NOT_FOUND', message: `There is no ${link.kind} ${link.id} for this partner.`, details: { kind: link.kind, id: link.id } });

/** True when the linked resource exists and belongs to the partner. */
const linkHolds = async (store: EventStore, link: ThreadLink, partnerId: string): Promise<boolean> => {
  switch (link.kind) {
    case 'order': {
      const { state } = await loadAggregate(store, aggregates.orders, orderStream(link.id));
      return state.exists && state.partnerId === partnerId;
    }
    case 'agreement': {
      const { state } = await loadAggregate(store, aggregates.agreements, agreementStream(link.id));
      return state.exists && state.partnerId === partnerId;
    }
    case 'settlement': {
      const dot = link.id.lastIndexOf('.');
      if (dot <= 0 || link.id.slice(0, dot) !== partnerId) return false;
      const { state } = await loadAggregate(store, aggregates.settlements, settlementStream(partnerId, link.id.slice(dot + 1)));
      return state.exists;
    }
    case 'stock': {
      const dot = link.id.indexOf('.');
      if (dot <= 0) return false;
      for await (const _ of store.readStream(stockStream(link.id.slice(0, dot), link.id.slice(dot + 1)), { maxCount: 1 })) return true;
      return false;
    }
  }
};

const openThread: ApplicationService = async (command, context, bus) => {
  const parsed = OpenThread.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { threadId, partnerId, link } = parsed.data.data;
  // A thread that exists already is the decider's to answer (a repeated command is returned as it was).
  const thread = await loadAggregate(bus.store, aggregates.threads, threadStream(threadId));
  if (thread.version === -1) {
    const { state: partner } = await loadAggregate(bus.store, aggregates.partners, partnerStream(partnerId));
    if (!partner.exists) return left({ code: 'PARTNER_NOT_FOUND', message: `Partner ${partnerId} does not exist.`, details: { partnerId } });
    if (partner.status === 'terminated')
      return left({ code: 'PARTNER_TERMINATED', message: `Partner ${partnerId} is terminated; no new threads can be opened with it.`, details: { partnerId } });
    if (link && !(await linkHolds(bus.store, link, partnerId))) return linkNotFound(link);
  }
  return handleCommand(bus.store, aggregates.threads, parsed.data, context);
};

export const threadServices = [['OpenThread', openThread]] as const;
