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
  invoiceOpen,
  type Money,
  type OpenInvoice,
  type OrderCommand,
  type OrderState,
  orderStream,
  owedByDueDate,
  partnerStream,
  ReviewOrder,
  type ReviewReason,
  SyncOrderCredit,
  zero,
} from '@dms/domain';
import {
  type CommandAccepted,
  type CommandContext,
  commitUnitOfWork,
  decidePart,
  handleCommand,
  IdempotencyConflict,
  invalidCommand,
  type Loaded,
  loadAggregate,
  loadLatest,
  partAccepted,
  retryUnit,
} from '@dms/eventstore';
import { left, right } from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { dealerAgreements, productCategories, replayOf, subContext, unchanged } from './agreement-services';
import type { ApplicationService, CommandResult, ServiceBus } from './service';
import { combined, handleContended } from './stock-services';

/**
 * Automated order review and credit exposure. `ReviewOrder` (sent by the `order_review` policy for every placed order)
 * approves the order as `system` when the dealer is active, an agreement in force covers it and its credit fits, and
 * otherwise queues it for a person with every reason. Credit is reserved in the dealer's `credit-<partnerId>` stream
 * before the approval, so concurrent orders of one dealer can never together exceed its limit.
 */

const loadOrder = (bus: ServiceBus, orderId: string) => loadAggregate(bus.store, aggregates.orders, orderStream(orderId));

/**
 * The dealer's invoices with something still owed, for the agreement's credit hold: every order that still holds credit
 * (an unpaid invoice keeps its order's reservation until it is paid or credited), read from its own stream.
 */
const dealerOpenInvoices = async (bus: ServiceBus, orderIds: Iterable<string>, except: string): Promise<OpenInvoice[]> => {
  const invoices: OpenInvoice[] = [];
  for (const id of orderIds) {
    if (id === except) continue;
    const { state } = await loadOrder(bus, id);
    if (!state.exists) continue;
    // Each invoice of the order (the whole order's, or one per shipment), less what was paid, allowed and credited on it.
    // An invoice with instalments counts instalment by instalment, each by its own due date, the oldest paid first.
    for (const invoice of state.invoices.values()) {
      const owed = invoiceOpen(state, invoice);
      const instalments = invoice.instalments?.map((i) => ({ dueOn: i.dueOn, amountMinor: i.amount.amountMinor }));
      for (const part of owedByDueDate({ dueOn: invoice.dueDate, invoicedMinor: invoice.amount.amountMinor, instalments }, owed.amountMinor))
        invoices.push({ invoiceId: invoice.invoiceId, orderId: id, dueOn: part.dueOn, owed: { amountMinor: part.owedMinor, currency: owed.currency } });
    }
  }
  return invoices;
};

const orderNotFound = (orderId: string): CommandResult => left({ code: 'ORDER_NOT_FOUND', message: `Order ${orderId} does not exist.`, details: { orderId } });

/** Brings what the order holds of its dealer's credit in line with the order as it stands now. */
const syncCredit = async (bus: ServiceBus, order: ExistingOrder, reason: string, at: string, context: CommandContext): Promise<CommandResult> => {
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
  const openInvoices = agreements.some((a) => a.exists && a.versions.some((v) => v.terms.creditHold))
    ? await dealerOpenInvoices(bus, credit.reservations.keys(), orderId)
    : [];
  const assessment = assessOrder({ order, partner, agreements, categories, credit, openInvoices });
  const reasons: ReviewReason[] = [...assessment.reasons];

  if (reasons.length === 0 && assessment.coverage.covered) {
    // The assessment read the exposure without a lock; the reservation decides again on the dealer's credit stream, and
    // the unit's expected versions make sure neither stream moved before both are written.
    const { agreement, version } = assessment.coverage;
    const reserve = {
      type: 'ReserveCredit' as const,
      data: {
        partnerId: order.partnerId,
        orderId,
        amount: order.total,
        limit: assessment.limit,
        allowOverLimit: false,
        reason: 'automated review',
        reservedAt: reviewedAt,
      },
    };
    const approval = await approveWithCredit(
      bus,
      loaded,
      reserve,
      (exposure) => ({
        type: 'ApproveOrder',
        data: {
          orderId,
          approvedAt: reviewedAt,
          note: `Approved automatically: dealer active; agreement ${agreement.agreementId} v${version.version} covers the order; credit exposure ${formatMoney(exposure ?? add(assessment.exposure, order.total))} of ${formatMoney(assessment.limit)}.`,
        },
      }),
      subContext(context, 'decision'),
      subContext(context, 'credit'),
    );
    if (approval._tag === 'Right' || approval.left.code !== 'CREDIT_LIMIT_EXCEEDED') return approval;
    reasons.push({ code: approval.left.code, message: approval.left.message, ...(approval.left.details ? { details: { ...approval.left.details } } : {}) });
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
  // Overriding a credit hold is a decision someone answers for: the approval records who (the actor) and why (the note).
  if (!note && order.lifecycle === 'placed' && order.review?.reasons.some((r) => r.code === 'CREDIT_HOLD_OVERDUE')) {
    return left({
      code: 'CREDIT_HOLD_NOTE_REQUIRED',
      message: `Order ${orderId} is on credit hold for overdue invoices; give a note saying why you approve it anyway.`,
      details: { orderId },
    });
  }
  const partner = (await loadAggregate(bus.store, aggregates.partners, partnerStream(order.partnerId))).state;
  const reserve = {
    type: 'ReserveCredit' as const,
    data: {
      partnerId: order.partnerId,
      orderId,
      amount: order.total,
      limit: partner.exists ? partner.creditLimit : zero(order.currency),
      allowOverLimit: overrideCreditLimit,
      reason: overrideCreditLimit ? `approved over the credit limit by ${context.actor.id}` : `approved by ${context.actor.id}`,
      reservedAt: approvedAt,
    },
  };
  const approve = { type: 'ApproveOrder' as const, data: { orderId, approvedAt, ...(note ? { note } : {}) } };
  return pipe(
    () => approveWithCredit(bus, loaded, reserve, () => approve, context, subContext(context, 'credit')),
    TE.mapLeft((refusal) =>
      refusal.code === 'CREDIT_LIMIT_EXCEEDED'
        ? { ...refusal, message: `${refusal.message} Approve with overrideCreditLimit to accept the order anyway.` }
        : refusal,
    ),
  )();
};

/**
 * Reserves the order's credit and approves it as one unit (see `unit-of-work.ts`): both are decided before anything is
 * written, and both are written or neither. A concurrent write to either stream re-reads both and decides again.
 */
const approveWithCredit = (
  bus: ServiceBus,
  firstLoad: Loaded<OrderState>,
  reserve: Extract<CreditCommand, { type: 'ReserveCredit' }>,
  approval: (exposure: Money | undefined) => Extract<OrderCommand, { type: 'ApproveOrder' }>,
  context: CommandContext,
  creditContext: CommandContext,
): Promise<CommandResult> => {
  const { orderId, partnerId } = reserve.data;
  let attempts = 0;
  return retryUnit(async () => {
    const orderLoad = attempts++ === 0 ? firstLoad : await loadOrder(bus, orderId);
    // The credit stream from its snapshot (see `loadLatest`), except where compensation may have run (no multi-stream
    // append): its undo ids are looked up in the whole stream. What is decided after a snapshot and cannot be trusted
    // without the events before it (a refusal, a no-op, a repeat the store recognises) is decided again on the whole stream.
    for (let whole = !bus.store.appendToStreams; ; whole = true) {
      const credit = await loadLatest(bus.store, aggregates.credit, creditStream(partnerId), { whole });
      // Should the approval fail on a store without multi-stream transactions, the credit goes back as the order then stands.
      // A reservation undone that way is spent: a retry reserves under the next id, so it is not mistaken for done.
      const ran = (commandId: string) => credit.events.some((e) => e.metadata.commandId === commandId);
      let reserveContext = creditContext;
      for (let k = 1; ran(`${reserveContext.commandId}:undo`); k++) reserveContext = { ...creditContext, commandId: `${creditContext.commandId}#${k}` };
      const undo = async () => {
        const now = (await loadOrder(bus, orderId)).state;
        if (now.exists)
          await syncCredit(bus, now, 'approval failed', reserve.data.reservedAt, { ...reserveContext, commandId: `${reserveContext.commandId}:undo` });
      };
      const reservation = decidePart(aggregates.credit, credit, reserve, reserveContext, undo);
      if (!credit.complete && (reservation._tag === 'Left' || (reservation.right.done && !reservation.right.done.replayed))) continue;
      if (reservation._tag === 'Left') return reservation;
      const reserved = CreditReserved.safeParse(reservation.right.done?.events[0] ?? reservation.right.events[0]);
      const exposure = reserved.success ? reserved.data.data.exposure : undefined;
      const decision = decidePart(aggregates.orders, orderLoad, approval(exposure), context);
      if (decision._tag === 'Left') return decision;
      const parts = [reservation.right, decision.right];
      let results: Awaited<ReturnType<typeof commitUnitOfWork>>;
      try {
        results = await commitUnitOfWork(bus.store, parts);
      } catch (error) {
        if (error instanceof IdempotencyConflict && !credit.complete) continue;
        throw error;
      }
      if (!credit.complete && !reservation.right.done && results[0]!.streamVersion <= credit.version) continue;
      const [creditResult, orderResult] = parts.map((p, i) => partAccepted(p, results[i]!)) as [CommandAccepted, CommandAccepted];
      return right(combined(orderResult.streamId, orderResult.streamVersion, orderResult.position, [creditResult, orderResult]));
    }
  });
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
