/**
 * Realistic DMS data for the benchmark, produced by the domain's own deciders so that every event is one the system could
 * have recorded: a catalogue and partners (sent as commands), and order lifecycles decided command by command.
 */

import type { DmsCommand } from '@dms/app';
import {
  type Actor,
  aggregates,
  type DomainError,
  type Money,
  type OrderCommand,
  type OrderEvent,
  type OrderRequest,
  type OrderState,
  orderDecider,
  orderStream,
  type PartnerState,
  type PlaceOrder,
  type PriceListState,
  type ProductState,
  partnerStream,
  preparePlaceOrder,
  priceListStream,
  productStream,
} from '@dms/domain';
import { type EventMetadataInput, type EventStore, eventIdFor, loadAggregate, type NewEvent, uuidV5 } from '@dms/eventstore';

/** mulberry32: a small, seeded PRNG, so that every run generates the same data. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: () => number, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

const BASE_TIME = Date.UTC(2025, 0, 1, 8);
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const eur = (amountMinor: number): Money => ({ amountMinor, currency: 'EUR' });

export const REGIONS = ['north', 'south', 'east', 'west', 'central', 'export'] as const;
export const TIERS = [
  { tier: 'platinum', discountBps: 2_000 },
  { tier: 'gold', discountBps: 1_500 },
  { tier: 'silver', discountBps: 1_000 },
  { tier: 'bronze', discountBps: 500 },
] as const;
const CATEGORIES = ['pumps', 'valves', 'pipes', 'fittings', 'motors', 'filters'] as const;
const UNITS = ['each', 'box', 'case', 'metre'] as const;

export interface WorldSize {
  readonly partners: number;
  readonly products: number;
}

/** The commands that set up a catalogue, tier price lists and partners, in an order the deciders accept. */
export const worldCommands = ({ partners, products }: WorldSize, random = seededRandom(7)): DmsCommand[] => {
  const at = iso(BASE_TIME - 30 * 24 * HOUR);
  const commands: DmsCommand[] = [];
  const skus: string[] = [];
  for (let i = 0; i < products; i++) {
    const category = CATEGORIES[i % CATEGORIES.length]!;
    const sku = `${category.toUpperCase()}-${String(1000 + i)}`;
    skus.push(sku);
    commands.push({
      type: 'RegisterProduct',
      data: {
        sku,
        name: `${category.slice(0, -1)} model ${1000 + i}, industrial grade`,
        category,
        unit: pick(random, UNITS),
        listPrice: eur(between(random, 5, 2_000) * 100 + pick(random, [0, 50, 95, 99])),
        registeredAt: at,
      },
    });
  }
  for (const { tier, discountBps } of TIERS) {
    commands.push({ type: 'SetTierDiscount', data: { tier, discountBps, setAt: at } });
    for (const sku of skus.filter(() => random() < 0.1)) {
      commands.push({ type: 'SetTierPrice', data: { tier, sku, unitPrice: eur(between(random, 4, 1_500) * 100), setAt: at } });
    }
  }
  for (let i = 0; i < partners; i++) {
    const partnerId = `dealer-${String(i).padStart(4, '0')}`;
    commands.push({
      type: 'OnboardPartner',
      data: {
        partnerId,
        name: `Dealer ${i} Industrial Supplies Ltd`,
        region: REGIONS[i % REGIONS.length]!,
        tier: pick(
          random,
          TIERS.map((t) => t.tier),
        ),
        creditLimit: eur(between(random, 50, 500) * 100_000),
        contacts: [{ name: `Buyer ${i}`, email: `buyer${i}@dealer${i}.example`, phone: '+44 20 7946 0000', role: 'purchasing' }],
        onboardedAt: at,
      },
    });
  }
  return commands;
};

/** What pricing an order needs: loaded once from the store, as `CommandBus.placeOrder` would per order. */
export interface World {
  readonly partners: readonly Extract<PartnerState, { exists: true }>[];
  readonly skus: readonly string[];
  readonly products: ReadonlyMap<string, ProductState>;
  readonly priceLists: ReadonlyMap<string, PriceListState>;
}

export const loadWorld = async (store: EventStore, commands: readonly DmsCommand[]): Promise<World> => {
  const partners: Extract<PartnerState, { exists: true }>[] = [];
  const products = new Map<string, ProductState>();
  const priceLists = new Map<string, PriceListState>();
  for (const c of commands) {
    if (c.type === 'OnboardPartner') {
      const { state } = await loadAggregate(store, aggregates.partners, partnerStream(c.data.partnerId));
      if (state.exists) partners.push(state);
    } else if (c.type === 'RegisterProduct') {
      products.set(c.data.sku, (await loadAggregate(store, aggregates.products, productStream(c.data.sku))).state);
    }
  }
  for (const { tier } of TIERS) priceLists.set(tier, (await loadAggregate(store, aggregates.priceLists, priceListStream(tier))).state);
  return { partners, skus: [...products.keys()], products, priceLists };
};

/** How an order's life goes; weights give about 7.6 events per order. */
type Scenario = 'rejected' | 'cancelled' | 'open' | 'paid' | 'split' | 'returned';
const SCENARIOS: readonly [Scenario, number][] = [
  ['rejected', 0.05],
  ['cancelled', 0.05],
  ['open', 0.1],
  ['paid', 0.6],
  ['split', 0.15],
  ['returned', 0.05],
];

const scenarioOf = (random: () => number): Scenario => {
  let r = random();
  for (const [s, w] of SCENARIOS) {
    r -= w;
    if (r < 0) return s;
  }
  return 'paid';
};

type Step = (order: Extract<OrderState, { exists: true }>, at: string) => OrderCommand;

const approve: Step = (o, at) => ({ type: 'ApproveOrder', data: { orderId: o.orderId, approvedAt: at } });
const confirm: Step = (o, at) => ({ type: 'ConfirmOrder', data: { orderId: o.orderId, confirmedAt: at } });
const shipLines =
  (shipmentId: string, part: 'all' | 'first' | 'rest'): Step =>
  (o, at) => {
    const lines = o.lines
      .map((l) => {
        const half = o.lines.length > 1 ? (l.lineNo === 1 ? l.quantity : 0) : Math.floor(l.quantity / 2);
        const quantity = part === 'all' ? l.quantity : part === 'first' ? half : l.quantity - l.shipped;
        return { lineNo: l.lineNo, quantity };
      })
      .filter((l) => l.quantity > 0);
    return {
      type: 'ShipOrder',
      data: { orderId: o.orderId, shipmentId, lines, shippedAt: at, warehouseId: 'wh-central', carrier: 'DHL Freight', trackingNumber: `JD0146${shipmentId}` },
    };
  };
const deliver =
  (shipmentId: string): Step =>
  (o, at) => ({ type: 'DeliverShipment', data: { orderId: o.orderId, shipmentId, deliveredAt: at, receivedBy: 'Goods-in' } });
const invoice: Step = (o, at) => ({
  type: 'InvoiceOrder',
  data: { orderId: o.orderId, invoiceId: `INV-${o.orderId}`, invoicedAt: at, dueDate: iso(Date.parse(at) + 30 * 24 * HOUR).slice(0, 10) },
});
const pay =
  (paymentId: string, share: 'half' | 'rest'): Step =>
  (o, at) => {
    const outstanding = o.total.amountMinor - o.paid.amountMinor - o.credited.amountMinor;
    const amount = share === 'half' ? Math.max(1, Math.floor(outstanding / 2)) : outstanding;
    return {
      type: 'RecordPayment',
      data: { orderId: o.orderId, paymentId, amount: eur(amount), paidAt: at, method: 'bank_transfer', reference: `PAY-${o.orderId}-${paymentId}` },
    };
  };
const returnOne: Step = (o, at) => ({
  type: 'ReturnGoods',
  data: {
    orderId: o.orderId,
    returnId: 'r1',
    creditNoteId: `CN-${o.orderId}`,
    lines: [{ lineNo: 1, quantity: 1 }],
    reason: 'damaged in transit',
    returnedAt: at,
  },
});

const stepsOf = (scenario: Scenario, place: PlaceOrder, random: () => number): Step[] => {
  const splittable = place.data.lines.length > 1 || place.data.lines[0]!.quantity > 1;
  const paid = [approve, confirm, shipLines('s1', 'all'), deliver('s1'), invoice, pay('p1', 'rest')];
  switch (scenario) {
    case 'rejected':
      return [(o, at) => ({ type: 'RejectOrder', data: { orderId: o.orderId, reason: 'credit limit exceeded', rejectedAt: at } })];
    case 'cancelled':
      return [approve, (o, at) => ({ type: 'CancelOrder', data: { orderId: o.orderId, reason: 'dealer changed their mind', cancelledAt: at } })];
    case 'open':
      return random() < 0.5 ? [approve, confirm] : [approve, confirm, shipLines('s1', 'all')];
    case 'paid':
      return paid;
    case 'split':
      if (!splittable) return paid;
      return [approve, confirm, shipLines('s1', 'first'), deliver('s1'), shipLines('s2', 'rest'), deliver('s2'), invoice, pay('p1', 'half'), pay('p2', 'rest')];
    case 'returned':
      return [...paid, returnOne];
  }
};

const actorFor = (command: OrderCommand, partnerId: string): Actor => {
  switch (command.type) {
    case 'PlaceOrder':
      return { id: `buyer@${partnerId}`, role: 'dealer', partnerId };
    case 'ApproveOrder':
    case 'RejectOrder':
    case 'ConfirmOrder':
    case 'CancelOrder':
      return { id: 'sales.desk@manufacturer.example', role: 'sales' };
    case 'InvoiceOrder':
    case 'RecordPayment':
      return { id: 'ar.team@manufacturer.example', role: 'finance' };
    default:
      return { id: 'warehouse-system', role: 'system' };
  }
};

const refused = (orderId: string, error: DomainError): Error => new Error(`Order ${orderId} was refused by the decider (${error.code}): ${error.message}`);

export interface GeneratedOrder {
  readonly streamId: string;
  /** The order's events grouped into appends: its placement, then the rest of its life. */
  readonly appends: readonly (readonly NewEvent[])[];
  readonly events: number;
}

/**
 * Order `index`: a dealer's request priced with `preparePlaceOrder`, then the commands of its scenario, each decided
 * against the state folded so far. Events carry the metadata the command handler would give them.
 */
export const generateOrder = (index: number, world: World, random: () => number, totalOrders: number): GeneratedOrder => {
  const orderId = `ORD-${String(index).padStart(7, '0')}`;
  const partner = pick(random, world.partners);
  const placedMs = BASE_TIME + Math.floor((index * 365 * 24 * HOUR) / Math.max(1, totalOrders));
  const lineCount = pick(random, [1, 1, 2, 2, 3, 3, 4, 5]);
  const skus = new Set<string>();
  while (skus.size < lineCount) skus.add(pick(random, world.skus));
  const request: OrderRequest = {
    orderId,
    partnerId: partner.partnerId,
    lines: [...skus].map((sku) => ({ sku, quantity: between(random, 1, 24) })),
    placedAt: iso(placedMs),
    customerReference: `PO-${partner.partnerId}-${index}`,
  };
  const place = preparePlaceOrder(request, { partner, products: world.products, priceList: world.priceLists.get(partner.tier)! });
  if (place._tag === 'Left') throw refused(orderId, place.left);

  const correlationId = uuidV5(`bench:${orderId}`);
  const appends: NewEvent[][] = [];
  let state: OrderState = orderDecider.initialState;
  let events = 0;
  const steps: Step[] = [() => place.right, ...stepsOf(scenarioOf(random), place.right, random)];
  let current: NewEvent[] = [];
  for (const [n, step] of steps.entries()) {
    const at = iso(placedMs + n * between(random, 2, 30) * HOUR);
    const command = step(state as Extract<OrderState, { exists: true }>, at);
    const decision = orderDecider.decide(command, state);
    if (decision._tag === 'Left') throw refused(orderId, decision.left);
    const commandId = uuidV5(`bench:${orderId}:${n}`);
    const metadata: EventMetadataInput = {
      correlationId,
      causationId: null,
      commandId,
      actor: actorFor(command, partner.partnerId),
      schemaVersion: 1,
    };
    for (const [i, event] of decision.right.entries()) {
      state = orderDecider.evolve(state, event);
      current.push({ eventId: eventIdFor(commandId, i), type: event.type, data: event.data, metadata });
      events++;
    }
    // Two appends per order: its placement (place, approve or reject, confirm or cancel), later the rest of its life.
    if (n === 2 && current.length > 0) {
      appends.push(current);
      current = [];
    }
  }
  if (current.length > 0) appends.push(current);
  return { streamId: orderStream(orderId), appends, events };
};

/** The commands of one paid order's life, as a dealer, sales, the warehouse and finance would send them. */
export const paidOrderCommands = (orderId: string, template: readonly OrderCommand[]): OrderCommand[] =>
  template.map((c) => ({ ...c, data: { ...c.data, orderId } }) as OrderCommand);

/** A template for `paidOrderCommands`: a three-line order placed, approved, confirmed, shipped, delivered, invoiced and paid. */
export const paidOrderTemplate = (): { commands: OrderCommand[]; events: OrderEvent[] } => {
  const place: PlaceOrder = {
    type: 'PlaceOrder',
    data: {
      orderId: 'TEMPLATE',
      partnerId: 'dealer-0001',
      region: 'north',
      tier: 'gold',
      currency: 'EUR',
      lines: [
        { lineNo: 1, sku: 'PUMPS-1000', quantity: 4, unitPrice: eur(124_950), discountBps: 1_500 },
        { lineNo: 2, sku: 'VALVES-1001', quantity: 12, unitPrice: eur(8_995), discountBps: 1_500 },
        { lineNo: 3, sku: 'FITTINGS-1003', quantity: 40, unitPrice: eur(1_250), discountBps: 0 },
      ],
      placedAt: iso(BASE_TIME),
      customerReference: 'PO-dealer-0001-0',
    },
  };
  const steps: Step[] = [() => place, approve, confirm, shipLines('s1', 'all'), deliver('s1'), invoice, pay('p1', 'rest')];
  const commands: OrderCommand[] = [];
  const events: OrderEvent[] = [];
  let state: OrderState = orderDecider.initialState;
  for (const [n, step] of steps.entries()) {
    const command = step(state as Extract<OrderState, { exists: true }>, iso(BASE_TIME + n * 6 * HOUR));
    const decision = orderDecider.decide(command, state);
    if (decision._tag === 'Left') throw refused('TEMPLATE', decision.left);
    commands.push(command);
    for (const e of decision.right) {
      state = orderDecider.evolve(state, e);
      events.push(e);
    }
  }
  return { commands, events };
};
