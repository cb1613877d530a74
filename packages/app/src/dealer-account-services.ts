import {
  type AccountAllocation,
  ApplyDealerCredit,
  aggregates,
  allocateAcrossOrders,
  CompleteDealerAllocation,
  creditStream,
  type DealerAccountEvent,
  type DealerAccountState,
  type DomainError,
  dateOf,
  dealerAccountStream,
  type ExistingOrder,
  formatMoney,
  type Money,
  type OrderState,
  orderStream,
  partnerStream,
  ReceiveDealerPayment,
  RefundDealerCredit,
  returnedShareKey,
  sharesByOrder,
} from '@dms/domain';
import {
  type CommandAccepted,
  type CommandContext,
  commitUnitOfWork,
  decidePart,
  invalidCommand,
  type Loaded,
  loadAggregate,
  loadLatest,
  partAccepted,
  type RecordedEvent,
  retryUnit,
  type UnitPart,
} from '@dms/eventstore';
import { type Either, left, right } from 'fp-ts/Either';
import { subContext, unchanged } from './agreement-services';
import type { ApplicationService, CommandResult, ServiceBus } from './service';
import { combined, handleContended } from './stock-services';

/**
 * A dealer's payments across its orders and its unapplied credit (docs/receivables.md, "A dealer's payments and its
 * credit"). A payment, or an application of credit, is decided as one unit over the dealer's `account-<partnerId>`
 * stream and the stream of every order it pays: the allocation (`allocateAcrossOrders`, oldest due first or the
 * invoices named) is computed from the orders as read, and every stream is appended against the version it was read
 * at. A concurrent payment of the same dealer moves its account stream, a payment recorded on one of the orders in
 * between moves that order's stream; either way the unit is refused as a whole by the store and decided again on the
 * streams as they are then (`retryUnit`), so the same open amount is never allocated twice.
 *
 * On EventStoreDB, which cannot append to several streams at once, the account is written first, as the record of the
 * cash received, and the orders after it, each under event ids derived from the command's. Should an order refuse its
 * share once the account holds it (it was paid by hand in between), the share goes back to the dealer's credit
 * (`DealerAllocationReturned`, with the order's refusal as the reason); should the process stop in between, the
 * `dealer_allocation` policy completes the unit (`CompleteDealerAllocation`) the same way, and so does a retry of the
 * command. Every order's share ends recorded on the order or returned to the credit, exactly once.
 */

type Unit = Either<DomainError, CommandAccepted>;
type Entry = Extract<DealerAccountEvent, { type: 'DealerPaymentReceived' | 'DealerCreditApplied' }>;

const loadAccount = (bus: ServiceBus, partnerId: string) => loadAggregate(bus.store, aggregates.dealerAccounts, dealerAccountStream(partnerId));
const loadOrder = (bus: ServiceBus, orderId: string) => loadAggregate(bus.store, aggregates.orders, orderStream(orderId));

const partnerExists = async (bus: ServiceBus, partnerId: string) =>
  (await loadAggregate(bus.store, aggregates.partners, partnerStream(partnerId))).state.exists;

/** Refuses an amount in another currency than the dealer's (its credit limit's), before its account takes that currency. */
const dealerCurrency = async (bus: ServiceBus, partnerId: string, amount: Money): Promise<Unit | undefined> => {
  const { state } = await loadAggregate(bus.store, aggregates.partners, partnerStream(partnerId));
  if (!state.exists) return partnerNotFound(partnerId);
  const currency = state.creditLimit.currency;
  return amount.currency === currency
    ? undefined
    : left({ code: 'CURRENCY_MISMATCH', message: `Dealer ${partnerId} is invoiced in ${currency}, not ${amount.currency}.`, details: { expected: currency } });
};

const partnerNotFound = (partnerId: string): Unit =>
  left({ code: 'PARTNER_NOT_FOUND', message: `Dealer ${partnerId} does not exist.`, details: { partnerId } });

/**
 * The dealer's orders that may have something open: every order that still holds its credit (an approved order keeps its
 * reservation until it is paid or credited in full), read from its own stream, as the credit hold reads them.
 */
const dealerOrders = async (bus: ServiceBus, partnerId: string): Promise<Map<string, Loaded<OrderState>>> => {
  const credit = await loadLatest(bus.store, aggregates.credit, creditStream(partnerId));
  const orders = new Map<string, Loaded<OrderState>>();
  for (const orderId of credit.state.reservations.keys()) {
    const loaded = await loadOrder(bus, orderId);
    if (loaded.state.exists && loaded.state.partnerId === partnerId) orders.set(orderId, loaded);
  }
  return orders;
};

const existing = (orders: Map<string, Loaded<OrderState>>): ExistingOrder[] => [...orders.values()].flatMap((o) => (o.state.exists ? [o.state] : []));

/** The allocations an earlier run of this very command recorded on the account (a retry completes the same unit). */
const recordedBefore = (account: Loaded<unknown>, commandId: string): readonly AccountAllocation[] | undefined => {
  const earlier = account.events.find((e) => e.metadata.commandId === commandId);
  return earlier ? (earlier.data as Entry['data']).allocations : undefined;
};

type OrderPayment = { paymentId: string; paidAt: string; method: 'bank_transfer' | 'card' | 'cheque' | 'cash' | 'offset'; reference?: string | undefined };

/** How each order records its share of a payment or an application: the same from the command and from its completion. */
const orderPaymentOf = (entry: Entry): OrderPayment =>
  entry.type === 'DealerPaymentReceived'
    ? {
        paymentId: entry.data.paymentId,
        paidAt: entry.data.receivedAt,
        method: entry.data.method as OrderPayment['method'],
        reference: entry.data.reference,
      }
    : {
        paymentId: entry.data.applicationId,
        paidAt: entry.data.appliedAt,
        method: 'offset',
        reference: `credit of dealer ${entry.data.partnerId}`.slice(0, 80),
      };

/**
 * Commits the account's part with one payment per order the allocations name, each recorded in the order's stream with
 * the account entry's id (`paymentId`), as one unit. When the account's part was written before (EventStoreDB: an
 * earlier run of the unit stopped after the account, or an order refused its append), an order that now refuses its
 * share gives it back to the dealer's credit instead, and a share given back already is not offered again.
 */
const commitWithOrders = async (
  bus: ServiceBus,
  context: CommandContext,
  account: Loaded<DealerAccountState>,
  accountPart: UnitPart,
  allocations: readonly AccountAllocation[],
  orders: Map<string, Loaded<OrderState>>,
  payment: OrderPayment,
): Promise<Unit> => {
  const parts: UnitPart[] = [accountPart];
  const refused: { orderId: string; error: DomainError }[] = [];
  for (const share of sharesByOrder(allocations)) {
    if (accountPart.done && account.state.returned.has(returnedShareKey(payment.paymentId, share.orderId))) continue;
    const order = orders.get(share.orderId) ?? (await loadOrder(bus, share.orderId));
    const part = decidePart(
      aggregates.orders,
      order,
      {
        type: 'RecordPayment',
        data: {
          orderId: share.orderId,
          paymentId: payment.paymentId,
          amount: share.amount,
          paidAt: payment.paidAt,
          method: payment.method,
          ...(payment.reference ? { reference: payment.reference } : {}),
          invoices: share.invoices.map((i) => ({ invoiceId: i.invoiceId, amount: i.amount })),
        },
      },
      subContext(context, `order:${share.orderId}`),
    );
    if (part._tag === 'Right') parts.push(part.right);
    // Before anything is written, a refusal refuses the whole unit; once the account holds the entry, it is final for that order.
    else if (accountPart.done) refused.push({ orderId: share.orderId, error: part.left });
    else return part;
  }
  const results = await commitUnitOfWork(bus.store, parts);
  const accepted = parts.map((p, i) => partAccepted(p, results[i]!));
  for (const { orderId, error } of refused) {
    const returned = await handleContended(
      bus.store,
      aggregates.dealerAccounts,
      {
        type: 'ReturnDealerAllocation',
        data: {
          partnerId: account.state.partnerId!,
          entryId: payment.paymentId,
          orderId,
          returnedAt: payment.paidAt,
          reason: `order ${orderId} refused its share: ${error.code}: ${error.message}`.slice(0, 300),
        },
      },
      subContext(context, `return:${orderId}`),
    );
    if (returned._tag === 'Left') return returned;
    accepted.push(returned.right);
  }
  const first = accepted[0]!;
  return right(combined(first.streamId, first.streamVersion, first.position, accepted));
};

const receiveDealerPayment: ApplicationService = async (command, context, bus) => {
  const parsed = ReceiveDealerPayment.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const d = parsed.data.data;
  const refused = await dealerCurrency(bus, d.partnerId, d.amount);
  if (refused) return refused;
  return retryUnit(async (): Promise<Unit> => {
    const account = await loadAccount(bus, d.partnerId);
    const orders = await dealerOrders(bus, d.partnerId);
    let allocations = recordedBefore(account, context.commandId);
    if (!allocations) {
      if (account.state.entryIds.has(d.paymentId))
        return left({
          code: 'DUPLICATE_PAYMENT',
          message: `Payment ${d.paymentId} is already recorded for dealer ${d.partnerId}.`,
          details: { paymentId: d.paymentId },
        });
      const allocated = allocateAcrossOrders(d.amount, dateOf(d.receivedAt), existing(orders), d.invoices);
      if (allocated._tag === 'Left') return allocated;
      allocations = allocated.right.allocations;
    }
    const { invoices: _named, ...payment } = d;
    const accountPart = decidePart(
      aggregates.dealerAccounts,
      account,
      { type: 'RecordDealerPayment', data: { ...payment, allocations: [...allocations] } },
      context,
    );
    if (accountPart._tag === 'Left') return accountPart;
    return commitWithOrders(bus, context, account, accountPart.right, allocations, orders, {
      paymentId: d.paymentId,
      paidAt: d.receivedAt,
      method: d.method,
      reference: d.reference,
    });
  });
};

const applyDealerCredit: ApplicationService = async (command, context, bus) => {
  const parsed = ApplyDealerCredit.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const d = parsed.data.data;
  let partnerId = d.partnerId;
  if (partnerId === undefined) {
    const order = await loadOrder(bus, d.orderId!);
    if (!order.state.exists) return left({ code: 'ORDER_NOT_FOUND', message: `Order ${d.orderId} does not exist.`, details: { orderId: d.orderId } });
    partnerId = order.state.partnerId;
  } else if (!(await partnerExists(bus, partnerId))) return partnerNotFound(partnerId);
  const dealer = partnerId;
  return retryUnit(async (): Promise<Unit> => {
    const account = await loadAccount(bus, dealer);
    // Nothing to apply, or nothing to apply it to: the policy leaves the dealer as it is; a person is told why.
    const nothing = (error: DomainError): Unit => (d.whenAvailable ? unchanged(dealerAccountStream(dealer), account) : left(error));
    let allocations = recordedBefore(account, context.commandId);
    const orders = allocations || (account.state.credit?.amountMinor ?? 0) > 0 ? await dealerOrders(bus, dealer) : new Map<string, Loaded<OrderState>>();
    if (!allocations) {
      if (account.state.entryIds.has(d.applicationId))
        return left({
          code: 'DUPLICATE_APPLICATION',
          message: `Credit application ${d.applicationId} is already recorded for dealer ${dealer}.`,
          details: { applicationId: d.applicationId },
        });
      const credit = account.state.credit;
      if (!credit || credit.amountMinor === 0)
        return nothing({ code: 'NO_CREDIT', message: `Dealer ${dealer} has no credit to apply.`, details: { partnerId: dealer } });
      if (d.amount && d.amount.currency !== credit.currency)
        return left({
          code: 'CURRENCY_MISMATCH',
          message: `Dealer ${dealer}'s credit is in ${credit.currency}, not ${d.amount.currency}.`,
          details: { expected: credit.currency },
        });
      if (d.amount && d.amount.amountMinor > credit.amountMinor)
        return left({
          code: 'CREDIT_EXCEEDED',
          message: `${formatMoney(d.amount)} is more than dealer ${dealer}'s credit of ${formatMoney(credit)}.`,
          details: { creditMinor: credit.amountMinor, amountMinor: d.amount.amountMinor },
        });
      const allocated = allocateAcrossOrders(d.amount ?? credit, dateOf(d.appliedAt), existing(orders), d.invoices);
      if (allocated._tag === 'Left') return d.whenAvailable ? nothing(allocated.left) : allocated;
      if (allocated.right.allocations.length === 0)
        return nothing({ code: 'NOTHING_TO_APPLY', message: `Dealer ${dealer} has no open invoice to apply its credit to.`, details: { partnerId: dealer } });
      allocations = allocated.right.allocations;
    }
    const accountPart = decidePart(
      aggregates.dealerAccounts,
      account,
      {
        type: 'RecordDealerCreditApplication',
        data: {
          partnerId: dealer,
          applicationId: d.applicationId,
          appliedAt: d.appliedAt,
          allocations: [...allocations],
          ...(d.reason ? { reason: d.reason } : {}),
        },
      },
      context,
    );
    if (accountPart._tag === 'Left') return accountPart;
    return commitWithOrders(bus, context, account, accountPart.right, allocations, orders, {
      paymentId: d.applicationId,
      paidAt: d.appliedAt,
      method: 'offset',
      reference: `credit of dealer ${dealer}`.slice(0, 80),
    });
  });
};

const refundDealerCredit: ApplicationService = async (command, context, bus): Promise<CommandResult> => {
  const parsed = RefundDealerCredit.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const refused = await dealerCurrency(bus, parsed.data.data.partnerId, parsed.data.data.amount);
  if (refused) return refused;
  return handleContended(bus.store, aggregates.dealerAccounts, parsed.data, context);
};

/**
 * Completes the unit that recorded a payment or an application on the account (sent by the `dealer_allocation` policy for
 * each): every order that has not recorded its share records it now, under the very ids the unit would have used (so
 * the command itself, retried meanwhile, finds it done), or gives it back to the credit when it refuses it. On a store
 * that writes a unit in one transaction (PostgreSQL, PGlite) the unit is whole by construction and nothing is read.
 */
const completeDealerAllocation: ApplicationService = async (command, context, bus): Promise<CommandResult> => {
  const parsed = CompleteDealerAllocation.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const d = parsed.data.data;
  const streamId = dealerAccountStream(d.partnerId);
  if (bus.store.appendToStreams) return right(combined(streamId, -1, 0n, []));
  return retryUnit(async (): Promise<Unit> => {
    const account = await loadAccount(bus, d.partnerId);
    const recorded = account.events.find((e): e is RecordedEvent<Entry['type'], Entry['data']> => entryIdOf(e) === d.entryId);
    const commandId = recorded?.metadata.commandId;
    if (!recorded || !commandId)
      return left({
        code: 'ENTRY_NOT_FOUND',
        message: `Dealer ${d.partnerId}'s account has no payment or application ${d.entryId}.`,
        details: { partnerId: d.partnerId, entryId: d.entryId },
      });
    const entry = { type: recorded.type, data: recorded.data } as Entry;
    // The unit's own command id: its orders' parts and returns get the ids the unit gave (or would have given) them.
    const unit: CommandContext = { ...context, commandId };
    const done: UnitPart = {
      streamId,
      events: [],
      done: { streamId, streamVersion: recorded.streamVersion, position: recorded.globalPosition, events: [recorded], replayed: true },
    };
    return commitWithOrders(bus, unit, account, done, entry.data.allocations, new Map(), orderPaymentOf(entry));
  });
};

const entryIdOf = (event: { type: string; data: unknown }): string | undefined =>
  event.type === 'DealerPaymentReceived'
    ? (event.data as { paymentId: string }).paymentId
    : event.type === 'DealerCreditApplied'
      ? (event.data as { applicationId: string }).applicationId
      : undefined;

export const dealerAccountServices: ReadonlyMap<string, ApplicationService> = new Map<string, ApplicationService>([
  ['ReceiveDealerPayment', receiveDealerPayment],
  ['ApplyDealerCredit', applyDealerCredit],
  ['RefundDealerCredit', refundDealerCredit],
  ['CompleteDealerAllocation', completeDealerAllocation],
]);
