import {
  aggregates,
  CreatePromotion,
  type ExistingPromotion,
  type OrderCommand,
  orderStream,
  PROMOTION_REGISTRY_STREAM,
  promotionConsumption,
  promotionStream,
  ReleaseOrderPromotions,
  registeredAt,
} from '@dms/domain';
import {
  type CommandAccepted,
  type CommandContext,
  commitUnitOfWork,
  decidePart,
  type EventStore,
  invalidCommand,
  type Loaded,
  loadAggregate,
  partAccepted,
  retryUnit,
  type UnitPart,
} from '@dms/eventstore';
import { left, right } from 'fp-ts/Either';
import { subContext } from './agreement-services';
import type { ApplicationService, CommandResult, ServiceBus } from './service';
import { combined, handleContended } from './stock-services';

/**
 * Promotions (docs/pricing.md). Each promotion's budget lives on its own stream (`promotion-<id>`): placing an order that
 * a promotion applies to appends `PromotionBudgetConsumed` there in the same unit of work as `OrderPlaced` (see
 * `unit-of-work.ts`), each against the version it was decided on. Two orders decided on the same budget cannot both be
 * written: the second is decided again on the budget as the first left it, and gets the promotion only while the budget
 * still covers its discount. A rejected or cancelled order gives its discount back (`promotionBudgetPolicy`).
 */

/** The promotions listed in force at `at`, as loaded from their streams (an ended or unknown one is left out). */
export const loadPromotions = async (store: EventStore, at: string): Promise<Loaded<ExistingPromotion>[]> => {
  const registry = await loadAggregate(store, aggregates.promotionRegistry, PROMOTION_REGISTRY_STREAM);
  const loaded = await Promise.all(registeredAt(registry.state, at).map((id) => loadAggregate(store, aggregates.promotions, promotionStream(id))));
  return loaded.filter((l): l is Loaded<ExistingPromotion> => l.state.exists);
};

/** The promotion as if `orderId` held none of its budget. */
const withoutOrder = (p: ExistingPromotion, orderId: string): ExistingPromotion => {
  const held = p.orders.get(orderId);
  if (!held) return p;
  const orders = new Map(p.orders);
  orders.delete(orderId);
  return { ...p, consumed: { amountMinor: p.consumed.amountMinor - held.amountMinor, currency: p.consumed.currency }, orders };
};

/** How many times an order is priced again because a promotion's budget (or the order) changed while it was decided. */
const PROMOTION_ATTEMPTS = 60;

/**
 * Prices and places an order against the promotions as they stand, writing the order and what it takes from each
 * promotion's budget as one unit. `price` prices the order given the promotions (it is `preparePlaceOrder`); it runs again
 * whenever another order took from a budget in between.
 */
export const placeWithPromotions = async (
  store: EventStore,
  orderId: string,
  at: string,
  price: (promotions: readonly ExistingPromotion[]) => CommandResult | Extract<OrderCommand, { type: 'PlaceOrder' }>,
  context: CommandContext,
  placeAlone: (command: Extract<OrderCommand, { type: 'PlaceOrder' }>) => Promise<CommandResult>,
): Promise<CommandResult> =>
  retryUnit(async (): Promise<CommandResult> => {
    const promotions = await loadPromotions(store, at);
    // A retry of an order already written prices as the first run did: what the order holds is counted as still free to it.
    const command = price(promotions.map((p) => withoutOrder(p.state, orderId)));
    if ('_tag' in command) return command;
    const consumption = promotionConsumption(command.data.currency, command.data.lines);
    if (consumption.length === 0) return placeAlone(command);
    const order = await loadAggregate(store, aggregates.orders, orderStream(command.data.orderId));
    const placed = decidePart(aggregates.orders, order, command, context);
    if (placed._tag === 'Left') return placed;
    const parts: UnitPart[] = [];
    for (const [promotionId, amount] of consumption) {
      const loaded = promotions.find((p) => p.state.promotionId === promotionId)!;
      const consumeContext = subContext(context, `promotion:${promotionId}`);
      const release = () =>
        handleContended(
          store,
          aggregates.promotions,
          {
            type: 'ReleasePromotionBudget',
            data: { promotionId, orderId: command.data.orderId, reason: 'the order was not placed', releasedAt: command.data.placedAt },
          },
          { ...consumeContext, commandId: `${consumeContext.commandId}:undo` },
        );
      const part = decidePart(
        aggregates.promotions,
        loaded,
        { type: 'ConsumePromotionBudget', data: { promotionId, orderId: command.data.orderId, amount, consumedAt: command.data.placedAt } },
        consumeContext,
        release,
      );
      if (part._tag === 'Left') return part;
      parts.push(part.right);
    }
    parts.push(placed.right);
    const results = await commitUnitOfWork(store, parts);
    const accepted = parts.map((p, i) => partAccepted(p, results[i]!));
    const orderResult = accepted.at(-1) as CommandAccepted;
    return right(combined(orderResult.streamId, orderResult.streamVersion, orderResult.position, [orderResult, ...accepted.slice(0, -1)]));
  }, PROMOTION_ATTEMPTS);

/** Creates a promotion and lists it in the registry, as one unit. */
const createPromotion: ApplicationService = async (command, context, bus) => {
  const parsed = CreatePromotion.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const d = parsed.data.data;
  return retryUnit(async () => {
    const [promotion, registry] = await Promise.all([
      loadAggregate(bus.store, aggregates.promotions, promotionStream(d.promotionId)),
      loadAggregate(bus.store, aggregates.promotionRegistry, PROMOTION_REGISTRY_STREAM),
    ]);
    const created = decidePart(aggregates.promotions, promotion, parsed.data, context);
    if (created._tag === 'Left') return created;
    const listed = decidePart(
      aggregates.promotionRegistry,
      registry,
      { type: 'RegisterPromotion' as const, data: { promotionId: d.promotionId, validFrom: d.validFrom, validTo: d.validTo, registeredAt: d.createdAt } },
      subContext(context, 'registry'),
    );
    if (listed._tag === 'Left') return listed;
    const parts = [created.right, listed.right];
    const results = await commitUnitOfWork(bus.store, parts);
    const [a, b] = parts.map((p, i) => partAccepted(p, results[i]!)) as [CommandAccepted, CommandAccepted];
    return right(combined(a.streamId, a.streamVersion, a.position, [a, b]));
  });
};

/** Gives back what a rejected or cancelled order took from each promotion's budget. */
const releaseOrderPromotions: ApplicationService = async (command, context, bus: ServiceBus) => {
  const parsed = ReleaseOrderPromotions.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, reason, releasedAt } = parsed.data.data;
  const order = await loadAggregate(bus.store, aggregates.orders, orderStream(orderId));
  if (!order.state.exists) return left({ code: 'ORDER_NOT_FOUND', message: `Order ${orderId} does not exist.`, details: { orderId } });
  const o = order.state;
  if (o.lifecycle !== 'rejected' && o.lifecycle !== 'cancelled') {
    return left({
      code: 'ORDER_STILL_OPEN',
      message: `Order ${orderId} is ${o.lifecycle}; its promotions are given back only when it is rejected or cancelled.`,
      details: { orderId, lifecycle: o.lifecycle },
    });
  }
  const done: CommandAccepted[] = [];
  for (const [promotionId] of promotionConsumption(o.currency, o.lines)) {
    const result = await handleContended(
      bus.store,
      aggregates.promotions,
      { type: 'ReleasePromotionBudget', data: { promotionId, orderId, reason, releasedAt } },
      subContext(context, `promotion:${promotionId}`),
    );
    if (result._tag === 'Left') return result;
    done.push(result.right);
  }
  return right(combined(orderStream(orderId), order.version, order.events.at(-1)?.globalPosition ?? 0n, done));
};

export const promotionServices: ReadonlyMap<string, ApplicationService> = new Map<string, ApplicationService>([
  ['CreatePromotion', createPromotion],
  ['ReleaseOrderPromotions', releaseOrderPromotions],
]);
