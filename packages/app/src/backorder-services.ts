import {
  aggregates,
  type BackorderMove,
  backorderIndexStream,
  backorderQueue,
  fulfilmentPolicy,
  type Message,
  orderStream,
  type Policy,
  type PolicyEvent,
  planBackorderMoves,
  policyCommandId,
  reservationSyncPolicy,
  SourceBackorders,
  type StockState,
  sourcingStream,
  stockStream,
  type WaitingBackorder,
} from '@dms/domain';
import { type CommandAccepted, type CommandContext, invalidCommand, loadAggregate, type RecordedEvent } from '@dms/eventstore';
import { right } from 'fp-ts/Either';
import type { ApplicationService, CommandResult, ServiceBus } from './service';
import { combined, handleContended } from './stock-services';

/**
 * Backorders filled from any warehouse of their region's sourcing order (`SourceBackorders`, sent by the
 * `backorder_sourcing` policy whenever stock of a SKU becomes available or a backorder is recorded).
 *
 * A backorder lives in exactly one stock stream at a time, the one of the warehouse it waits in; that stream alone
 * decides whether it is still waiting. To fill it from another warehouse it is first **withdrawn** there
 * (`WithdrawBackorder`: at most what still waits), then the order moves that part of its allocation
 * (`ReallocateStock`), then it is reserved where the stock is (`ReserveStock`, backordering there whatever that
 * warehouse no longer has). So two warehouses receiving at once, or a receipt where it waits, can never both fill it:
 * whichever reaches its stream first takes it, the other finds nothing left and plans again.
 *
 * The service carries each move through at once, sending the second and third steps under the command ids their
 * policies (`reservation_sync`, `fulfilment`) give them, so that the policies find them done; after a crash between
 * steps, the policies finish the move from the recorded events.
 */

/** Plans made again when a move came out short because another warehouse or a receipt took the backorder first. */
const ROUNDS = 5;

const sub = (context: CommandContext, suffix: string): CommandContext => ({
  ...context,
  commandId: `${context.commandId}:${suffix}`,
  causationId: context.causationId ?? context.commandId,
  correlationId: context.correlationId ?? context.commandId,
});

/** Sends what `policy` would send for `event`, under the policy's own command ids. */
const asPolicy = async (bus: ServiceBus, policy: Policy, event: RecordedEvent, context: CommandContext): Promise<CommandAccepted[]> => {
  const seen: PolicyEvent = { type: event.type, data: event.data, streamId: event.streamId, streamVersion: event.streamVersion, eventId: event.eventId };
  const done: CommandAccepted[] = [];
  for (const [index, command] of policy.react(seen).entries()) {
    const result = await bus.execute(command as Message, {
      ...context,
      commandId: policyCommandId(policy, event.eventId, index),
      causationId: event.eventId,
      correlationId: event.metadata.correlationId,
    });
    if (result._tag === 'Right') done.push(result.right);
  }
  return done;
};

/** Withdraws the backorder where it waits, moves the order's allocation, and reserves it where the stock is. */
const move = async (bus: ServiceBus, m: BackorderMove, sku: string, at: string, context: CommandContext) => {
  const withdrawn = await bus.execute(
    {
      type: 'WithdrawBackorder',
      data: {
        warehouseId: m.fromWarehouseId,
        sku,
        orderId: m.orderId,
        lineNo: m.lineNo,
        quantity: m.quantity,
        toWarehouseId: m.toWarehouseId,
        withdrawnAt: at,
      },
    },
    context,
  );
  if (withdrawn._tag === 'Left') return { quantity: 0, done: [] };
  const event = withdrawn.right.events.find((e) => e.type === 'StockBackorderWithdrawn');
  if (!event) return { quantity: 0, done: [withdrawn.right] };
  const done = [withdrawn.right];
  const reallocated = await asPolicy(bus, reservationSyncPolicy, event, context);
  done.push(...reallocated);
  for (const e of reallocated.flatMap((r) => r.events).filter((x) => x.type === 'OrderStockReallocated'))
    done.push(...(await asPolicy(bus, fulfilmentPolicy, e, context)));
  return { quantity: (event.data as { quantity: number }).quantity, done };
};

const sourceBackorders: ApplicationService = async (command, context, bus): Promise<CommandResult> => {
  const parsed = SourceBackorders.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { warehouseId, sku, requestedAt } = parsed.data.data;
  const { store } = bus;
  const trigger = await loadAggregate(store, aggregates.stock, stockStream(warehouseId, sku));
  const done: CommandAccepted[] = [];
  let index = (await loadAggregate(store, aggregates.backorderIndex, backorderIndexStream(sku))).state.warehouseIds;
  if (trigger.state.backordered > 0 && !index.includes(warehouseId)) {
    const noted = await handleContended(
      store,
      aggregates.backorderIndex,
      { type: 'NoteBackorderWarehouse', data: { sku, warehouseId, notedAt: requestedAt } },
      sub(context, 'index'),
    );
    if (noted._tag === 'Left') return noted;
    done.push(noted.right);
    index = [...index, warehouseId];
  }
  const regions = new Map<string, readonly string[]>();
  const regionOfOrder = new Map<string, string | undefined>();
  for (let round = 1; round <= ROUNDS; round++) {
    const stocks = new Map<string, StockState>(round === 1 ? [[warehouseId, trigger.state]] : []);
    const stockAt = async (w: string) => {
      let s = stocks.get(w);
      if (!s) {
        s = (await loadAggregate(store, aggregates.stock, stockStream(w, sku))).state;
        stocks.set(w, s);
      }
      return s;
    };
    const sourcingOf = async (region: string) => {
      let s = regions.get(region);
      if (!s) {
        s = (await loadAggregate(store, aggregates.sourcing, sourcingStream(region))).state.warehouseIds;
        regions.set(region, s);
      }
      return s;
    };
    const waiting: WaitingBackorder[] = [];
    for (const w of index) {
      for (const line of backorderQueue(await stockAt(w))) {
        // Backorders recorded before they carried their region: the order says.
        if (line.region === undefined && !regionOfOrder.has(line.orderId)) {
          const order = (await loadAggregate(store, aggregates.orders, orderStream(line.orderId))).state;
          regionOfOrder.set(line.orderId, order.exists ? order.region : undefined);
        }
        const region = line.region ?? regionOfOrder.get(line.orderId);
        if (region === undefined) continue;
        const { orderId, lineNo, placedAt, backordered } = line;
        waiting.push({ warehouseId: w, orderId, lineNo, placedAt, quantity: backordered, sourcing: await sourcingOf(region) });
      }
    }
    if (waiting.length === 0) break;
    for (const w of new Set(waiting.flatMap((b) => b.sourcing))) await stockAt(w);
    const moves = planBackorderMoves(waiting, (w) => {
      const s = stocks.get(w);
      return s ? s.onHand - s.reserved : 0;
    });
    if (moves.length === 0) break;
    let short = false;
    for (const m of moves) {
      const result = await move(bus, m, sku, requestedAt, sub(context, `${round}:${m.orderId}#${m.lineNo}@${m.fromWarehouseId}>${m.toWarehouseId}`));
      done.push(...result.done);
      if (result.quantity < m.quantity) short = true;
    }
    if (!short) break;
  }
  return right(combined(stockStream(warehouseId, sku), trigger.version, trigger.events.at(-1)?.globalPosition ?? 0n, done));
};

/** The backorder sourcing intent and its service. */
export const backorderServices: ReadonlyMap<string, ApplicationService> = new Map([['SourceBackorders', sourceBackorders]]);
