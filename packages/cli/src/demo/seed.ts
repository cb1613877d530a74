import type { CommandBus, CommandResult, DmsCommand } from '@dms/app';
import type { Actor } from '@dms/domain';
import { type DemoTask, planAgreements, reviewDecision } from './agreements';
import { DEALERS, PRODUCTS, TIERS } from './catalogue';
import { finishReviews, planReviews } from './performance';
import { Random } from './random';
import { type StockSeedReport, seedStock } from './stock';
import { planThreads } from './threads';

/** The demo year ends here; everything happens in the twelve months before it, so the data set never depends on today. */
export const DEMO_END = Date.parse('2026-11-20T00:00:00Z');
const DAY = 86_400_000;
const DEMO_START = DEMO_END - 365 * DAY;

const staff: Actor = { id: 'anna.sales', role: 'sales' };
const finance: Actor = { id: 'felix.finance', role: 'finance' };
const admin: Actor = { id: 'demo-admin', role: 'admin' };
const dealer = (partnerId: string): Actor => ({ id: `${partnerId}.buyer`, role: 'dealer', partnerId });

type Step = { kind: 'command'; command: DmsCommand } | { kind: 'order'; request: Parameters<CommandBus['placeOrder']>[0] } | DemoTask;

interface Action {
  readonly at: number;
  readonly seq: number;
  readonly actor: Actor;
  readonly step: Step;
  /** Actions of one order: once one is refused, the rest of that order is skipped. */
  readonly orderId?: string;
}

export interface SeedOptions {
  readonly orders: number;
  readonly seed: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Runs the process managers to completion; with it, the demo ends with weeks of stock and fulfilment (see stock.ts). */
  readonly settle?: () => Promise<void>;
}

export interface SeedReport {
  readonly commands: number;
  readonly refused: Readonly<Record<string, number>>;
  readonly orders: number;
  readonly stock?: StockSeedReport;
  /** The dealer promoted at the year-end review, if one was proposed. */
  readonly promoted?: string;
}

const iso = (t: number) => new Date(t).toISOString();
const euros = (minor: number) => ({ amountMinor: minor, currency: 'EUR' });

/**
 * Builds a year of channel activity and runs it through the command bus in time order, as people would have: dealers
 * onboarded, a catalogue with tier prices, a price rise, a tier change, a suspension, and orders in every state.
 */
export const planDemo = (options: Pick<SeedOptions, 'orders' | 'seed'>): Action[] => {
  const rnd = new Random(options.seed);
  // Requested delivery dates draw from their own sequence, so that adding them left every other figure of the demo as it was.
  const requested = new Random(options.seed * 7 + 3);
  const actions: Action[] = [];
  let seq = 0;
  const add = (at: number, actor: Actor, step: Step, orderId?: string) => {
    if (at <= DEMO_END) actions.push({ at, seq: seq++, actor, step, ...(orderId ? { orderId } : {}) });
  };
  const command = (at: number, actor: Actor, c: DmsCommand, orderId?: string) => add(at, actor, { kind: 'command', command: c }, orderId);

  const setup = DEMO_START - 30 * DAY;
  for (const p of PRODUCTS) {
    command(setup, admin, {
      type: 'RegisterProduct',
      data: { sku: p.sku, name: p.name, category: p.category, unit: 'each', listPrice: euros(p.listPriceMinor), registeredAt: iso(setup) },
    });
  }
  for (const t of TIERS) command(setup, admin, { type: 'SetTierDiscount', data: { tier: t.tier, discountBps: t.discountBps, setAt: iso(setup) } });
  for (const sku of ['PMP-005', 'PMP-006', 'CTL-004']) {
    const p = PRODUCTS.find((x) => x.sku === sku)!;
    command(setup, admin, {
      type: 'SetTierPrice',
      data: { tier: 'platinum', sku, unitPrice: euros(Math.round((p.listPriceMinor * 0.78) / 100) * 100), setAt: iso(setup) },
    });
  }
  // Dated price lists (docs/pricing.md), both published on 25 August for 1 September: gold's autumn valve prices with
  // quantity breaks, and alpine-systems' own pump prices, which its agreement allows from its September amendment.
  const autumn = Date.parse('2026-08-25T09:00:00Z');
  const share = (listPriceMinor: number, pct: number) => euros(Math.round((listPriceMinor * pct) / 10_000) * 100);
  const autumnVersion = (
    versionId: string,
    prices: readonly { sku: string; unitPrice: ReturnType<typeof euros>; breaks?: { minQuantity: number; unitPrice: ReturnType<typeof euros> }[] }[],
  ) => ({
    versionId,
    validFrom: '2026-09-01T00:00:00Z',
    currency: 'EUR',
    prices: [...prices],
    publishedAt: iso(autumn),
  });
  command(autumn, admin, {
    type: 'PublishPriceListVersion',
    data: {
      tier: 'gold',
      ...autumnVersion(
        'gold-2026-autumn',
        PRODUCTS.filter((p) => p.category === 'valves').map((p) => ({
          sku: p.sku,
          unitPrice: share(p.listPriceMinor, 88),
          breaks: [
            { minQuantity: 50, unitPrice: share(p.listPriceMinor, 85) },
            { minQuantity: 100, unitPrice: share(p.listPriceMinor, 82) },
          ],
        })),
      ),
    },
  });
  command(autumn, admin, {
    type: 'PublishDealerPriceListVersion',
    data: {
      partnerId: 'alpine-systems',
      ...autumnVersion(
        'alpine-2026-autumn',
        PRODUCTS.filter((p) => p.category === 'pumps').map((p) => ({ sku: p.sku, unitPrice: share(p.listPriceMinor, 83) })),
      ),
    },
  });
  // Promotions running in the demo's last weeks (docs/pricing.md): 5 % off pumps for gold and platinum dealers, and 1 % off
  // orders from 20,000.00 EUR for everyone, each with a budget that orders consume as they are placed.
  const q4 = Date.parse('2026-10-25T09:00:00Z');
  command(q4, admin, {
    type: 'CreatePromotion',
    data: {
      promotionId: 'winter-pumps',
      name: 'Winter pumps: 5 % off',
      validFrom: '2026-11-01T00:00:00Z',
      validTo: '2027-01-01T00:00:00Z',
      currency: 'EUR',
      target: { tiers: ['gold', 'platinum'], categories: ['pumps'] },
      benefit: { kind: 'percent_off', bps: 500 },
      budget: euros(5_000_00),
      createdAt: iso(q4),
    },
  });
  command(q4, admin, {
    type: 'CreatePromotion',
    data: {
      promotionId: 'q4-big-orders',
      name: 'Q4: 1 % off orders from 20,000 EUR',
      validFrom: '2026-10-01T00:00:00Z',
      validTo: '2027-01-01T00:00:00Z',
      currency: 'EUR',
      target: {},
      benefit: { kind: 'order_threshold', minimum: euros(20_000_00), bps: 100 },
      budget: euros(3_000_00),
      createdAt: iso(q4),
    },
  });
  // Tax (docs/tax.md): the central region taxes orders from 1 November, valves at the reduced rate; other regions stay untaxed.
  const taxFrom = Date.parse('2026-10-20T09:00:00Z');
  for (const [rateId, category, rateBps, name] of [
    ['central-std-19', 'standard', 1_900, 'VAT 19 %'],
    ['central-red-7', 'reduced', 700, 'VAT 7 %'],
  ] as const) {
    command(taxFrom, admin, {
      type: 'PublishTaxRate',
      data: { region: 'central', rateId, category, rateBps, validFrom: '2026-11-01T00:00:00Z', name, publishedAt: iso(taxFrom) },
    });
  }
  for (const p of PRODUCTS.filter((x) => x.category === 'valves'))
    command(taxFrom, admin, { type: 'SetProductTaxCategory', data: { sku: p.sku, taxCategory: 'reduced', changedAt: iso(taxFrom) } });
  for (const d of DEALERS) {
    command(setup + DAY, staff, {
      type: 'OnboardPartner',
      data: {
        partnerId: d.partnerId,
        name: d.name,
        region: d.region,
        tier: d.tier,
        creditLimit: euros(d.creditEur * 100),
        contacts: [{ name: `${d.name.split(' ')[0]} Purchasing`, email: `purchasing@${d.partnerId}.example`, role: 'purchasing' }],
        onboardedAt: iso(setup + DAY),
      },
    });
  }

  // Channel events through the year.
  const month = (m: number) => DEMO_START + m * 30 * DAY;
  for (const p of PRODUCTS.filter((x) => x.category === 'pumps')) {
    command(month(6), admin, {
      type: 'ChangeListPrice',
      data: { sku: p.sku, listPrice: euros(Math.round((p.listPriceMinor * 1.04) / 100) * 100), changedAt: iso(month(6)) },
    });
  }
  command(month(5), staff, {
    type: 'ChangePartnerTier',
    data: { partnerId: 'baltic-pumps', tier: 'gold', reason: 'Volume target met two quarters running', changedAt: iso(month(5)) },
  });
  command(month(7), finance, {
    type: 'SuspendPartner',
    data: { partnerId: 'bohemia-trade', reason: 'Invoices more than 60 days overdue', suspendedAt: iso(month(7)) },
  });
  command(month(8) + 10 * DAY, finance, { type: 'ReactivatePartner', data: { partnerId: 'bohemia-trade', reactivatedAt: iso(month(8) + 10 * DAY) } });
  command(month(9), finance, { type: 'ChangeCreditLimit', data: { partnerId: 'atlantic-fluid', creditLimit: euros(600_000_00), changedAt: iso(month(9)) } });
  command(month(10), admin, { type: 'DiscontinueProduct', data: { sku: 'FIT-006', reason: 'Replaced by press-fit union', discontinuedAt: iso(month(10)) } });

  const dealerWeights = DEALERS.map((d) => [d, d.weight] as const);
  for (let n = 0; n < options.orders; n++) {
    const d = rnd.weighted(dealerWeights);
    // More orders in spring and autumn: a gentle seasonal curve over the year.
    let placed: number;
    do {
      placed = DEMO_START + rnd.next() * (DEMO_END - DEMO_START);
    } while (rnd.next() > 0.65 + 0.35 * Math.sin(((placed - DEMO_START) / (365 * DAY)) * 4 * Math.PI) ** 2);
    placed = Math.floor(placed / 60_000) * 60_000;
    const orderId = `SO-${String(n + 1).padStart(5, '0')}`;
    const skus = new Set<string>();
    const lineCount = rnd.weighted([
      [1, 4],
      [2, 4],
      [3, 3],
      [4, 2],
      [5, 1],
    ]);
    while (skus.size < lineCount) skus.add(rnd.pick(PRODUCTS).sku);
    const lines = [...skus].map((sku) => {
      const cheap = PRODUCTS.find((p) => p.sku === sku)!.listPriceMinor < 10_000;
      return { sku, quantity: cheap ? rnd.int(5, 120) : rnd.int(1, 12) };
    });
    add(
      placed,
      dealer(d.partnerId),
      {
        kind: 'order',
        request: {
          orderId,
          partnerId: d.partnerId,
          lines,
          placedAt: iso(placed),
          // Most dealers ask for a delivery date, one to three weeks out.
          ...(requested.chance(0.85) ? { requestedDeliveryDate: iso(placed + requested.int(7, 21) * DAY).slice(0, 10) } : {}),
          customerReference: `PO-${rnd.int(10000, 99999)}`,
        },
      },
      orderId,
    );

    let t = placed + rnd.int(1, 36) * 3_600_000;
    const outcome = rnd.next();
    // Automated review approves the order or queues it; staff decide the queued ones (see agreements.ts).
    if (outcome < 0.03) {
      const plannedRejection = rnd.pick(['Duplicate of an earlier order', 'Product not sold in this region', 'Quantities need confirming with the dealer']);
      add(t, staff, reviewDecision(orderId, { plannedRejection, approveOverLimit: false }), orderId);
      continue;
    }
    add(t, staff, reviewDecision(orderId, { approveOverLimit: outcome < 0.8 }), orderId);
    t += rnd.int(1, 24) * 3_600_000;
    if (outcome < 0.06) {
      command(t, dealer(d.partnerId), { type: 'CancelOrder', data: { orderId, reason: 'Customer project postponed', cancelledAt: iso(t) } }, orderId);
      continue;
    }
    command(t, staff, { type: 'ConfirmOrder', data: { orderId, confirmedAt: iso(t) } }, orderId);

    // Shipments: usually one, sometimes the order goes out in two.
    const split = lines.length > 1 && rnd.chance(0.25);
    const shipments = split
      ? [lines.slice(0, Math.ceil(lines.length / 2)), lines.slice(Math.ceil(lines.length / 2))].map((ls) =>
          ls.map((l) => ({ lineNo: lines.indexOf(l) + 1, quantity: l.quantity })),
        )
      : [lines.map((l, i) => ({ lineNo: i + 1, quantity: l.quantity }))];
    let lastDelivery = t;
    shipments.forEach((shipLines, i) => {
      const shippedAt = t + rnd.int(1, 5) * DAY + i * rnd.int(3, 10) * DAY;
      const shipmentId = `${orderId}-S${i + 1}`;
      command(
        shippedAt,
        staff,
        {
          type: 'ShipOrder',
          data: {
            orderId,
            shipmentId,
            lines: shipLines,
            shippedAt: iso(shippedAt),
            carrier: rnd.pick(['DHL Freight', 'DB Schenker', 'Kuehne+Nagel', 'GEODIS']),
          },
        },
        orderId,
      );
      const deliveredAt = shippedAt + rnd.int(1, 4) * DAY;
      command(deliveredAt, dealer(d.partnerId), { type: 'DeliverShipment', data: { orderId, shipmentId, deliveredAt: iso(deliveredAt) } }, orderId);
      lastDelivery = Math.max(lastDelivery, deliveredAt);
    });

    const invoicedAt = lastDelivery + rnd.int(0, 2) * DAY + 3_600_000;
    const due = new Date(invoicedAt + 30 * DAY).toISOString().slice(0, 10);
    if (rnd.chance(0.06)) {
      const returnedAt = lastDelivery + rnd.int(2, 20) * DAY;
      const lineNo = rnd.int(1, lines.length);
      const reason = rnd.pick(['Damaged in transit', 'Wrong size delivered', 'Surplus to project needs']);
      command(
        returnedAt,
        dealer(d.partnerId),
        {
          type: 'ReturnGoods',
          data: {
            orderId,
            returnId: `${orderId}-R1`,
            creditNoteId: `${orderId}-CN1`,
            lines: [{ lineNo, quantity: Math.max(1, Math.floor(lines[lineNo - 1]!.quantity / 3)) }],
            reason,
            // Damaged goods are credited but cannot be sold again. (These orders shipped before stock tracking began, so
            // none of them go back into a warehouse; see stock.ts for returns that do.)
            restock: reason !== 'Damaged in transit',
            returnedAt: iso(returnedAt),
          },
        },
        orderId,
      );
    }
    command(
      invoicedAt,
      finance,
      { type: 'InvoiceOrder', data: { orderId, invoiceId: `INV-${orderId.slice(3)}`, invoicedAt: iso(invoicedAt), dueDate: due } },
      orderId,
    );
    if (rnd.chance(0.08)) continue; // still unpaid, perhaps overdue
    const paidAt = invoicedAt + rnd.int(7, 50) * DAY;
    add(
      paidAt,
      finance,
      {
        kind: 'command',
        command: { type: 'RecordPayment', data: { orderId, paymentId: `${orderId}-P1`, amount: euros(0), paidAt: iso(paidAt), method: 'bank_transfer' } },
      },
      orderId,
    );
  }
  planAgreements(add, { start: DEMO_START, end: DEMO_END });
  planThreads(add, actions);
  planReviews(add, { start: DEMO_START, end: DEMO_END });
  return actions.sort((a, b) => a.at - b.at || a.seq - b.seq);
};

/** Runs the plan through the command bus: every fact enters the store through the one command handler. */
export const seedDemo = async (bus: CommandBus, options: SeedOptions): Promise<SeedReport> => {
  const actions = planDemo(options);
  const skipped = new Set<string>();
  const refused: Record<string, number> = {};
  const outstanding = new Map<string, number>();
  let done = 0;
  for (const action of actions) {
    if (++done % 50 === 0 || done === actions.length) options.onProgress?.(done, actions.length);
    if (action.orderId && skipped.has(action.orderId)) continue;
    const context = { commandId: `demo-${options.seed}-${action.seq}`, actor: action.actor };
    let result: CommandResult;
    if (action.step.kind === 'order') {
      result = await bus.placeOrder(action.step.request, context);
    } else if (action.step.kind === 'task') {
      const outcome = await action.step.run(bus, context, options.settle);
      if (outcome.endsOrder && action.orderId) skipped.add(action.orderId);
      if (!outcome.result) continue;
      result = outcome.result;
    } else {
      let command = action.step.command;
      if (command.type === 'RecordPayment') {
        // The payment settles what is outstanding by then, which depends on credit notes issued since the plan was made.
        const due = outstanding.get(command.data.orderId) ?? 0;
        if (due <= 0) continue;
        command = { ...command, data: { ...command.data, amount: euros(due) } };
      }
      result = await bus.execute(command, context);
    }
    if (result._tag === 'Left') {
      refused[result.left.code] = (refused[result.left.code] ?? 0) + 1;
      if (action.orderId) skipped.add(action.orderId);
    } else {
      for (const e of result.right.events) {
        const data = e.data as { orderId?: string; amount?: { amountMinor: number } };
        if (!data.orderId) continue;
        if (e.type === 'OrderInvoiced') outstanding.set(data.orderId, (outstanding.get(data.orderId) ?? 0) + data.amount!.amountMinor);
        if (e.type === 'CreditNoteIssued' || e.type === 'PaymentRecorded')
          outstanding.set(data.orderId, (outstanding.get(data.orderId) ?? 0) - data.amount!.amountMinor);
      }
    }
  }
  const stock = options.settle ? await seedStock(bus, { seed: options.seed, orders: options.orders, end: DEMO_END, settle: options.settle }) : undefined;
  // The year-end decision on promotions, after every order of the demo has been priced.
  const reviews = options.settle ? await finishReviews(bus, iso(DEMO_END), options.settle, options.seed) : {};
  return { commands: actions.length, refused, orders: options.orders, ...(stock ? { stock } : {}), ...reviews };
};
