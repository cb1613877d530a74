import {
  ApproveQueuedOrder,
  add,
  aggregates,
  assessOrder,
  type CreditCommand,
  CreditReserved,
  creditStream,
  creditTarget,
  type ExistingOrder,
  formatMoney,
  orderStream,
  partnerStream,
  ReviewOrder,
  type ReviewReason,
  SyncOrderCredit,
  zero,
} from '@dms/domain';
import { left, right } from 'fp-ts/Either';
import { dealerAgreements, productCategories, replayOf, subContext, unchanged } from './agreement-services';
import type { ApplicationService, CommandBus, CommandResult } from './command-bus';
import { type CommandContext, handleCommand, loadAggregate } from './command-handler';
import { loadLatest } from './load';
import { combined, handleContended, invalidCommand } from './stock-services';

/**
 * Automated order review and credit exposure. `ReviewOrder` (sent by the `order_review` policy for every placed order)
 * approves the order as `system` when the dealer is active, an agreement in force covers it and its credit fits, and
 * otherwise queues it for a person with every reason. Credit is reserved in the dealer's `credit-<partnerId>` stream
 * before the approval, so concurrent orders of one dealer can never together exceed its limit.
 */

const loadOrder = (bus: CommandBus, orderId: string) => loadAggregate(bus.store, aggregates.orders, orderStream(orderId));

const orderNotFound = (orderId: string): CommandResult => left({ code: 'ORDER_NOT_FOUND', message: `Order ${orderId} does not exist.`, details: { orderId } });

/** Brings what the order holds of its dealer's credit in line with the order as it stands now. */
const syncCredit = async (bus: CommandBus, order: ExistingOrder, reason: string, at: string, context: CommandContext): Promise<CommandResult> => {
  const [partner, credit] = [
    (await loadAggregate(bus.store, aggregates.partners, partnerStream(order.partnerId))).state,
    await loadLatest(bus.store, aggregates.credit, creditStream(order.partnerId)),
  ];
  const target = creditTarget(order);
  const held = credit.state.reservations.get(order.orderId)?.amountMinor ?? 0;
  let command: CreditCommand;
  if (target.amountMinor > held) {
    const limit = partner.exists ? partner.creditLimit : zero(order.currency);
    command = {
      type: 'ReserveCredit',
      data: { partnerId: order.partnerId, orderId: order.orderId, amount: target, limit, allowOverLimit: true, reason, reservedAt: at },
    };
  } else if (target.amountMinor < held) {
    command = { type: 'ReleaseCredit', data: { partnerId: order.partnerId, orderId: order.orderId, remaining: target, reason, releasedAt: at } };
  } else {
    return right(combined(creditStream(order.partnerId), credit.version, credit.position, []));
  }
  return handleContended(bus.store, aggregates.credit, command, context);
};

const reviewOrder: ApplicationService = async (command, context, bus) => {
  const parsed = ReviewOrder.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, reviewedAt } = parsed.data.data;
  const loaded = await loadOrder(bus, orderId);
  const order = loaded.state;
  if (!order.exists) return orderNotFound(orderId);
  // Reviewed already (or decided by a person first): nothing to do, however often the event is delivered.
  if (order.lifecycle !== 'placed' || order.review) return unchanged(orderStream(orderId), loaded);

  const partner = (await loadAggregate(bus.store, aggregates.partners, partnerStream(order.partnerId))).state;
  const agreements = await dealerAgreements(bus.store, order.partnerId);
  const categories = await productCategories(
    bus.store,
    order.lines.map((l) => l.sku),
  );
  // From the credit stream's snapshot: the dealer's history must not slow its next review (see docs/architecture.md).
  const credit = (await loadLatest(bus.store, aggregates.credit, creditStream(order.partnerId))).state;
  const assessment = assessOrder({ order, partner, agreements, categories, credit });
  const reasons: ReviewReason[] = [...assessment.reasons];

  const results = [];
  if (reasons.length === 0) {
    // The assessment read the exposure without a lock; the reservation decides again inside the dealer's credit stream.
    const reserved = await handleContended(
      bus.store,
      aggregates.credit,
      {
        type: 'ReserveCredit',
        data: {
          partnerId: order.partnerId,
          orderId,
          amount: order.total,
          limit: assessment.limit,
          allowOverLimit: false,
          reason: 'automated review',
          reservedAt: reviewedAt,
        },
      },
      subContext(context, 'credit'),
    );
    if (reserved._tag === 'Left') {
      if (reserved.left.code !== 'CREDIT_LIMIT_EXCEEDED') return reserved;
      reasons.push({ code: reserved.left.code, message: reserved.left.message, ...(reserved.left.details ? { details: { ...reserved.left.details } } : {}) });
    } else {
      results.push(reserved.right);
    }
  }

  if (reasons.length === 0 && assessment.coverage.covered) {
    const { agreement, version } = assessment.coverage;
    const reservation = CreditReserved.safeParse(results[0]?.events[0]);
    const exposure = reservation.success ? reservation.data.data.exposure : add(assessment.exposure, order.total);
    const note = `Approved automatically: dealer active; agreement ${agreement.agreementId} v${version.version} covers the order; credit exposure ${formatMoney(exposure)} of ${formatMoney(assessment.limit)}.`;
    const approved = await handleCommand(
      bus.store,
      aggregates.orders,
      { type: 'ApproveOrder', data: { orderId, approvedAt: reviewedAt, note } },
      subContext(context, 'decision'),
    );
    if (approved._tag === 'Left') {
      // Cancelled or decided by a person meanwhile: give the credit back as the order now stands.
      const now = (await loadOrder(bus, orderId)).state;
      if (now.exists) await syncCredit(bus, now, 'automated approval refused', reviewedAt, subContext(context, 'credit-undo'));
      return approved;
    }
    return right(combined(approved.right.streamId, approved.right.streamVersion, approved.right.position, [...results, approved.right]));
  }
  return handleCommand(
    bus.store,
    aggregates.orders,
    { type: 'QueueOrderForReview', data: { orderId, reasons, queuedAt: reviewedAt } },
    subContext(context, 'decision'),
  );
};

const approveQueuedOrder: ApplicationService = async (command, context, bus) => {
  const parsed = ApproveQueuedOrder.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, note, overrideCreditLimit, approvedAt } = parsed.data.data;
  const loaded = await loadOrder(bus, orderId);
  const replayed = replayOf(loaded, orderStream(orderId), context.commandId);
  if (replayed) return replayed;
  const order = loaded.state;
  if (!order.exists) return orderNotFound(orderId);
  const approve = { type: 'ApproveOrder' as const, data: { orderId, approvedAt, ...(note ? { note } : {}) } };
  const decision = aggregates.orders.decider.decide(approve, order);
  if (decision._tag === 'Left') return decision;
  const partner = (await loadAggregate(bus.store, aggregates.partners, partnerStream(order.partnerId))).state;
  const limit = partner.exists ? partner.creditLimit : zero(order.currency);
  const reserved = await handleContended(
    bus.store,
    aggregates.credit,
    {
      type: 'ReserveCredit',
      data: {
        partnerId: order.partnerId,
        orderId,
        amount: order.total,
        limit,
        allowOverLimit: overrideCreditLimit,
        reason: overrideCreditLimit ? `approved over the credit limit by ${context.actor.id}` : `approved by ${context.actor.id}`,
        reservedAt: approvedAt,
      },
    },
    subContext(context, 'credit'),
  );
  if (reserved._tag === 'Left') {
    if (reserved.left.code !== 'CREDIT_LIMIT_EXCEEDED') return reserved;
    return left({ ...reserved.left, message: `${reserved.left.message} Approve with overrideCreditLimit to accept the order anyway.` });
  }
  const approved = await handleCommand(bus.store, aggregates.orders, approve, context);
  if (approved._tag === 'Left') {
    const now = (await loadOrder(bus, orderId)).state;
    if (now.exists) await syncCredit(bus, now, 'approval refused', approvedAt, subContext(context, 'credit-undo'));
    return approved;
  }
  return right(combined(approved.right.streamId, approved.right.streamVersion, approved.right.position, [reserved.right, approved.right]));
};

const syncOrderCredit: ApplicationService = async (command, context, bus) => {
  const parsed = SyncOrderCredit.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, reason, at } = parsed.data.data;
  const order = (await loadOrder(bus, orderId)).state;
  if (!order.exists) return orderNotFound(orderId);
  return syncCredit(bus, order, reason, at, subContext(context, 'credit'));
};

export const reviewServices: ReadonlyMap<string, ApplicationService> = new Map<string, ApplicationService>([
  ['ReviewOrder', reviewOrder],
  ['ApproveQueuedOrder', approveQueuedOrder],
  ['SyncOrderCredit', syncOrderCredit],
]);
