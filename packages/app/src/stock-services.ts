import {
  type Aggregate,
  aggregates,
  type Message,
  productStream,
  SetSourcingOrder,
  type StockCommand,
  StockCommand as StockCommandSchema,
  stockStream,
  warehouseStream,
} from '@dms/domain';
import {
  type CommandAccepted,
  type CommandContext,
  type EventStore,
  handleCommand,
  invalidCommand,
  loadAggregate,
  WrongExpectedVersion,
} from '@dms/eventstore';
import { left } from 'fp-ts/Either';
import type { ApplicationService, CommandResult } from './service';

/**
 * Stock, warehouse and sourcing commands run through these services rather than straight to their aggregates: each
 * first checks what its own stream cannot know (the warehouse and the product exist, a transfer's destination can take
 * the goods), and every stock command rides out contention on a hot SKU with a jittered backoff, because many orders
 * reserving the last units of one SKU all append to the same stream.
 */

// biome-ignore lint/suspicious/noExplicitAny: the registry holds aggregates of different command/event/state types.
type AnyAggregate = Aggregate<any, any, any>;

const notFound = (code: string, message: string, details: Record<string, unknown>): CommandResult => left({ code, message, details });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How many times a command is re-run after its stream kept changing under it (each run already retries 5 times at once). */
const CONTENDED_ATTEMPTS = 40;

/** Runs a command, backing off (with jitter, up to 250 ms) while other writers keep winning the race for its stream. */
export const handleContended = async (store: EventStore, aggregate: AnyAggregate, command: Message, context: CommandContext): Promise<CommandResult> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await handleCommand(store, aggregate, command, context);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion) || attempt >= CONTENDED_ATTEMPTS) throw error;
      await sleep(Math.random() * Math.min(250, 4 * 2 ** Math.min(attempt, 6)));
    }
  }
};

const warehouseExists = async (store: EventStore, warehouseId: string) =>
  (await loadAggregate(store, aggregates.warehouses, warehouseStream(warehouseId))).state.exists;

const unknownWarehouse = (warehouseId: string, field = 'warehouseId') =>
  notFound('WAREHOUSE_NOT_FOUND', `There is no warehouse ${warehouseId}; register it first.`, { [field]: warehouseId });

/** Commands that bring a SKU into a warehouse's books: the product must be in the catalogue. */
const NEEDS_PRODUCT: ReadonlySet<StockCommand['type']> = new Set(['ReceiveStock', 'AdjustStock', 'SetReorderPolicy']);

const stockCommand: ApplicationService = async (command, context, bus) => {
  const parsed = StockCommandSchema.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const c = parsed.data;
  const { store } = bus;
  if (!(await warehouseExists(store, c.data.warehouseId))) return unknownWarehouse(c.data.warehouseId);
  if (NEEDS_PRODUCT.has(c.type)) {
    const product = await loadAggregate(store, aggregates.products, productStream(c.data.sku));
    if (!product.state.exists) return notFound('PRODUCT_NOT_FOUND', `Product ${c.data.sku} is not in the catalogue.`, { sku: c.data.sku });
  }
  if (c.type === 'TransferStockOut') {
    if (c.data.toWarehouseId !== c.data.warehouseId && !(await warehouseExists(store, c.data.toWarehouseId)))
      return unknownWarehouse(c.data.toWarehouseId, 'toWarehouseId');
    const [from, to] = await Promise.all(
      [c.data.warehouseId, c.data.toWarehouseId].map((w) => loadAggregate(store, aggregates.stock, stockStream(w, c.data.sku))),
    );
    const [a, b] = [from!.state.currency, to!.state.currency];
    if (a && b && a !== b) {
      return left({
        code: 'CURRENCY_MISMATCH',
        message: `${c.data.sku} is valued in ${a} at ${c.data.warehouseId} but in ${b} at ${c.data.toWarehouseId}; it cannot move between them.`,
        details: { from: a, to: b },
      });
    }
  }
  return handleContended(store, aggregates.stock, c, context);
};

const setSourcingOrder: ApplicationService = async (command, context, bus) => {
  const parsed = SetSourcingOrder.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const exists = await Promise.all(parsed.data.data.warehouseIds.map((w) => warehouseExists(bus.store, w)));
  const unknown = parsed.data.data.warehouseIds.filter((_, i) => !exists[i]);
  if (unknown.length > 0)
    return notFound('WAREHOUSE_NOT_FOUND', `There is no warehouse ${unknown.join(', ')}; register it before naming it in a sourcing order.`, { unknown });
  return handleContended(bus.store, aggregates.sourcing, parsed.data, context);
};

const plain =
  (aggregate: AnyAggregate): ApplicationService =>
  (command, context, bus) =>
    handleContended(bus.store, aggregate, command, context);

const commandTypes = (schema: unknown): string[] =>
  (schema as { options: Array<{ shape: { type: { value: string } } }> }).options.map((o) => o.shape.type.value);

/** Stock, warehouse and sourcing command types and the service that runs each. */
export const stockServices: ReadonlyMap<string, ApplicationService> = new Map<string, ApplicationService>([
  ...commandTypes(aggregates.stock.commandSchema).map((type) => [type, stockCommand] as const),
  ...commandTypes(aggregates.warehouses.commandSchema).map((type) => [type, plain(aggregates.warehouses)] as const),
  ['SetSourcingOrder', setSourcingOrder],
  ['AddWarehouseToSourcing', plain(aggregates.sourcing)],
]);

/**
 * One answer for a service that wrote to several streams: the events of all of them, and the highest position, so a
 * caller can read its own writes with `minPosition`.
 */
export const combined = (streamId: string, version: number, fallbackPosition: bigint, results: readonly CommandAccepted[]): CommandAccepted => {
  let position = fallbackPosition;
  for (const r of results) if (r.position > position) position = r.position;
  return {
    streamId,
    streamVersion: version,
    position,
    events: results.flatMap((r) => r.events),
    replayed: results.length > 0 && results.every((r) => r.replayed),
  };
};
