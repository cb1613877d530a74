import {
  AllocateOrder,
  aggregates,
  ConsumeShipmentStock,
  type ExistingOrder,
  type OrderEvent,
  orderStream,
  planAllocation,
  ReleaseOrderStock,
  RestockReturn,
  returnSources,
  shipmentKey,
  sourcingStream,
  stockStream,
  unallocatedLines,
  warehouseStream,
} from '@dms/domain';
import { type CommandAccepted, type CommandContext, invalidCommand, type Loaded, loadAggregate } from '@dms/eventstore';
import { left, right } from 'fp-ts/Either';
import type { ApplicationService, CommandResult, ServiceBus } from './service';
import { combined } from './stock-services';

/**
 * The fulfilment process's intents (see `fulfilmentPolicy` in the domain): each reads the order and what it needs of the
 * stock, then sends domain commands. Sub-commands get ids derived from the intent's command id, so running an intent
 * again (a redelivered event, a restarted worker) repeats no effect.
 */

const loadOrder = async (bus: ServiceBus, orderId: string): Promise<Loaded<ExistingOrder> | CommandResult> => {
  const loaded = await loadAggregate(bus.store, aggregates.orders, orderStream(orderId));
  if (!loaded.state.exists) return left({ code: 'ORDER_NOT_FOUND', message: `Order ${orderId} does not exist.`, details: { orderId } });
  return { ...loaded, state: loaded.state };
};

const isResult = (x: Loaded<ExistingOrder> | CommandResult): x is CommandResult => '_tag' in x;

const nothingDone = (order: Loaded<ExistingOrder>): CommandResult =>
  right(combined(orderStream(order.state.orderId), order.version, order.events.at(-1)?.globalPosition ?? 0n, []));

const sub = (context: CommandContext, suffix: string): CommandContext => ({
  ...context,
  commandId: `${context.commandId}:${suffix}`,
  causationId: context.causationId ?? context.commandId,
  correlationId: context.correlationId ?? context.commandId,
});

/**
 * Allocates what is not yet allocated of an order: reads the region's sourcing order (or the one warehouse asked for)
 * and the stock available in each, plans the allocation, and records it on the order, whose policy then reserves it.
 * Another allocation of the same order in between makes the order refuse with OVER_ALLOCATION: then plan again.
 */
const allocateOrder: ApplicationService = async (command, context, bus) => {
  const parsed = AllocateOrder.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, warehouseId, onShortage, allocatedAt } = parsed.data.data;
  for (let attempt = 1; ; attempt++) {
    const order = await loadOrder(bus, orderId);
    if (isResult(order)) return order;
    const o = order.state;
    if (o.lifecycle !== 'approved' && o.lifecycle !== 'confirmed') {
      return left({
        code: 'INVALID_ORDER_TRANSITION',
        message: `Order ${orderId} is ${o.lifecycle}; stock is allocated only to approved or confirmed orders.`,
        details: { orderId, lifecycle: o.lifecycle },
      });
    }
    const lines = unallocatedLines(o);
    if (lines.length === 0) return nothingDone(order);
    let warehouses: readonly string[];
    if (warehouseId) {
      const w = await loadAggregate(bus.store, aggregates.warehouses, warehouseStream(warehouseId));
      if (!w.state.exists) return left({ code: 'WAREHOUSE_NOT_FOUND', message: `There is no warehouse ${warehouseId}.`, details: { warehouseId } });
      warehouses = [warehouseId];
    } else {
      warehouses = (await loadAggregate(bus.store, aggregates.sourcing, sourcingStream(o.region))).state.warehouseIds;
      if (warehouses.length === 0) {
        return left({
          code: 'NO_WAREHOUSE_FOR_REGION',
          message: `No warehouse serves region ${o.region}; register one there or set the region's sourcing order, then allocate order ${orderId}.`,
          details: { orderId, region: o.region },
        });
      }
    }
    const pairs = warehouses.flatMap((w) => lines.map((l) => [w, l.sku] as const));
    const stocks = await Promise.all(pairs.map(([w, sku]) => loadAggregate(bus.store, aggregates.stock, stockStream(w, sku))));
    const available = new Map(pairs.map(([w, sku], i) => [`${w}.${sku}`, stocks[i]!.state.onHand - stocks[i]!.state.reserved]));
    const plan = planAllocation(lines, warehouses, (w, sku) => available.get(`${w}.${sku}`) ?? 0);
    if (plan.shortfall > 0 && onShortage === 'refuse') {
      return left({
        code: 'INSUFFICIENT_STOCK',
        message: `Order ${orderId} needs ${plan.shortfall} more than ${warehouses.join(', ')} ${warehouses.length === 1 ? 'has' : 'have'} available; nothing was allocated.`,
        details: { orderId, shortfall: plan.shortfall, warehouses },
      });
    }
    const result = await bus.execute({ type: 'AllocateStock', data: { orderId, allocations: [...plan.allocations], allocatedAt } }, context);
    if (result._tag === 'Left' && result.left.code === 'OVER_ALLOCATION' && attempt < 3) continue;
    return result;
  }
};

/** Releases everything a cancelled or rejected order holds in stock, in every warehouse it was allocated to. */
const releaseOrderStock: ApplicationService = async (command, context, bus) => {
  const parsed = ReleaseOrderStock.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, reason, releasedAt } = parsed.data.data;
  const order = await loadOrder(bus, orderId);
  if (isResult(order)) return order;
  const o = order.state;
  if (o.lifecycle !== 'cancelled' && o.lifecycle !== 'rejected') {
    return left({
      code: 'ORDER_STILL_OPEN',
      message: `Order ${orderId} is ${o.lifecycle}; its stock is released when it is cancelled.`,
      details: { orderId, lifecycle: o.lifecycle },
    });
  }
  const done: CommandAccepted[] = [];
  for (const a of o.stock ?? []) {
    if (a.allocated === a.shipped) continue;
    const result = await bus.execute(
      { type: 'ReleaseReservation', data: { warehouseId: a.warehouseId, sku: a.sku, orderId, lineNo: a.lineNo, reason, releasedAt } },
      sub(context, `${a.lineNo}@${a.warehouseId}`),
    );
    if (result._tag === 'Right') done.push(result.right);
    else if (result.left.code !== 'RESERVATION_NOT_FOUND') return result;
  }
  return right(combined(orderStream(orderId), order.version, order.events.at(-1)?.globalPosition ?? 0n, done));
};

/** Takes a shipment's goods out of the reservations of the warehouse it left from (orders with allocated stock only). */
const consumeShipmentStock: ApplicationService = async (command, context, bus) => {
  const parsed = ConsumeShipmentStock.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, shipmentId, shippedAt } = parsed.data.data;
  const order = await loadOrder(bus, orderId);
  if (isResult(order)) return order;
  const o = order.state;
  const shipment = o.shipments.get(shipmentId);
  if (!shipment) return left({ code: 'SHIPMENT_NOT_FOUND', message: `Order ${orderId} has no shipment ${shipmentId}.`, details: { orderId, shipmentId } });
  const recorded = order.events.find((e) => e.type === 'OrderShipped' && (e.data as { shipmentId: string }).shipmentId === shipmentId);
  const warehouseId = (recorded?.data as { warehouseId?: string } | undefined)?.warehouseId;
  if (o.stock === undefined || warehouseId === undefined) return nothingDone(order);
  const done: CommandAccepted[] = [];
  for (const l of shipment.lines) {
    const sku = o.lines.find((x) => x.lineNo === l.lineNo)?.sku;
    if (!sku || !o.stock.some((a) => a.lineNo === l.lineNo && a.warehouseId === warehouseId)) continue;
    const result = await bus.execute(
      {
        type: 'ShipReservedStock',
        data: { warehouseId, sku, orderId, lineNo: l.lineNo, shipmentId, quantity: l.quantity, businessDate: shippedAt.slice(0, 10), recordedAt: shippedAt },
      },
      sub(context, String(l.lineNo)),
    );
    if (result._tag === 'Left') return result;
    done.push(result.right);
  }
  return right(combined(orderStream(orderId), order.version, order.events.at(-1)?.globalPosition ?? 0n, done));
};

/**
 * Puts the goods of a resaleable return back into stock: each returned unit goes back to the warehouse its shipment
 * left from (see `returnSources`), at its share of the value that shipment took out. Goods that shipped outside stock
 * tracking, or from a warehouse that never recorded the shipment, have nowhere to go back to and are left out.
 */
const restockReturn: ApplicationService = async (command, context, bus) => {
  const parsed = RestockReturn.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, returnId, restockedAt } = parsed.data.data;
  const order = await loadOrder(bus, orderId);
  if (isResult(order)) return order;
  const history = order.events.map((e) => ({ type: e.type, data: e.data }) as OrderEvent);
  const returned = history.find((e) => e.type === 'GoodsReturned' && e.data.returnId === returnId);
  if (!returned) return left({ code: 'RETURN_NOT_FOUND', message: `Order ${orderId} has no return ${returnId}.`, details: { orderId, returnId } });
  if (returned.type !== 'GoodsReturned' || returned.data.restock !== true) return nothingDone(order);
  const done: CommandAccepted[] = [];
  for (const source of returnSources(history, returnId) ?? []) {
    const { warehouseId, sku, lineNo, shipmentId, quantity } = source;
    if (warehouseId === undefined) continue;
    const stock = await loadAggregate(bus.store, aggregates.stock, stockStream(warehouseId, sku));
    if (!stock.state.shipmentsOut.has(shipmentKey(orderId, lineNo, shipmentId))) continue;
    const result = await bus.execute(
      {
        type: 'ReturnStock',
        data: { warehouseId, sku, orderId, lineNo, shipmentId, returnId, quantity, businessDate: restockedAt.slice(0, 10), recordedAt: restockedAt },
      },
      sub(context, `${lineNo}/${shipmentId}`),
    );
    if (result._tag === 'Right') done.push(result.right);
    else if (result.left.code !== 'DUPLICATE_RETURN') return result;
  }
  return right(combined(orderStream(orderId), order.version, order.events.at(-1)?.globalPosition ?? 0n, done));
};

/** The fulfilment intents and the service that runs each. */
export const fulfilmentServices: ReadonlyMap<string, ApplicationService> = new Map([
  ['AllocateOrder', allocateOrder],
  ['ReleaseOrderStock', releaseOrderStock],
  ['ConsumeShipmentStock', consumeShipmentStock],
  ['RestockReturn', restockReturn],
]);
