import type { CommandBus } from '@dms/app';
import {
  type Actor,
  aggregates,
  availableQuantity,
  type ExistingOrder,
  orderStream,
  projectedQuantity,
  type StockState,
  stockStream,
  suggestReorder,
  warehouseStream,
} from '@dms/domain';
import { loadAggregate } from '@dms/eventstore';
import { DEALERS, PRODUCTS } from './catalogue';
import { Random } from './random';

/**
 * The stock part of the demo: DMS starts tracking stock six weeks before the end of the demo year (less in a small demo). Warehouses open in
 * every region with a central hub as fallback, opening stock is received (some of it entered late, back-dated), and for
 * those weeks dealers order from stock: the fulfilment process reserves, backorders what is short, and confirms; the
 * warehouse ships, replenishes what runs low (after the lead time), moves stock from the hub, counts and writes off.
 * Halfway through, the supplier delivers part of the hub's order of the always-short booster set early: the backorders
 * waiting for it in the regional warehouses are filled from the hub (moved there, oldest order first). Now and then a
 * dealer returns part of a delivery: resaleable goods go back into stock where they shipped from, at their cost; goods
 * damaged in transit are credited but not restocked.
 * Orders placed before go-live are left as they were: fulfilled outside stock tracking.
 *
 * It reads the stock and orders as it goes (what is confirmed ships, what is low is reordered), so it needs `settle`,
 * which runs the process managers to completion after each step.
 */

const DAY = 86_400_000;
const warehouseStaff: Actor = { id: 'wes.warehouse', role: 'sales' };
const sales: Actor = { id: 'anna.sales', role: 'sales' };
const dealer = (partnerId: string): Actor => ({ id: `${partnerId}.buyer`, role: 'dealer', partnerId });

const WAREHOUSES = [
  { warehouseId: 'WH-NORTH', name: 'Oslo distribution centre', region: 'north' },
  { warehouseId: 'WH-SOUTH', name: 'Valencia distribution centre', region: 'south' },
  { warehouseId: 'WH-EAST', name: 'Budapest distribution centre', region: 'east' },
  { warehouseId: 'WH-WEST', name: 'Nantes distribution centre', region: 'west' },
  { warehouseId: 'WH-CENTRAL', name: 'Nuremberg distribution centre', region: 'central' },
  { warehouseId: 'WH-HUB', name: 'Frankfurt central hub', region: 'central' },
] as const;
const HUB = 'WH-HUB';
const regional = (region: string) => WAREHOUSES.find((w) => w.region === region && w.warehouseId !== HUB)!.warehouseId;

/** The SKUs kept in stock, and one that is always short (a booster set with a long lead time). */
const STOCKED = ['PMP-001', 'PMP-002', 'PMP-005', 'VLV-001', 'VLV-002', 'VLV-004', 'PIP-001', 'FIT-001', 'FIT-002', 'CTL-001', 'CTL-003', 'FLT-001'];
const SCARCE = 'PMP-005';

export interface StockSeedOptions {
  readonly seed: number;
  /** Orders in the demo year: a small demo gets fewer days of stock (at least twelve). */
  readonly orders: number;
  /** The demo year's end: the stock weeks end here. */
  readonly end: number;
  /** Runs the process managers until they have nothing left to do. */
  readonly settle: () => Promise<void>;
}

export interface StockSeedReport {
  readonly commands: number;
  readonly refused: Readonly<Record<string, number>>;
  readonly orders: number;
  /** True when the data already held the stock weeks: nothing was sent again. */
  readonly alreadySeeded: boolean;
}

const iso = (t: number) => new Date(t).toISOString();
const day = (t: number) => iso(t).slice(0, 10);
const euros = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

export const seedStock = async (bus: CommandBus, options: StockSeedOptions): Promise<StockSeedReport> => {
  const { store } = bus;
  if ((await loadAggregate(store, aggregates.warehouses, warehouseStream(HUB))).state.exists) {
    return { commands: 0, refused: {}, orders: 0, alreadySeeded: true };
  }
  const rnd = new Random(options.seed * 7919 + 17);
  const refused: Record<string, number> = {};
  let sent = 0;
  const send = async (actor: Actor, command: Parameters<CommandBus['execute']>[0]) => {
    const result = await bus.execute(command, { commandId: `demo-${options.seed}-stock-${sent++}`, actor });
    if (result._tag === 'Left') refused[result.left.code] = (refused[result.left.code] ?? 0) + 1;
    return result;
  };
  const stockOf = async (warehouseId: string, sku: string): Promise<StockState> =>
    (await loadAggregate(store, aggregates.stock, stockStream(warehouseId, sku))).state;
  const orderOf = async (orderId: string): Promise<ExistingOrder | undefined> => {
    const s = (await loadAggregate(store, aggregates.orders, orderStream(orderId))).state;
    return s.exists ? s : undefined;
  };
  const listPrice = (sku: string) => PRODUCTS.find((p) => p.sku === sku)!.listPriceMinor;
  const cost = (sku: string) => Math.round((listPrice(sku) * (0.5 + rnd.next() * 0.1)) / 10) * 10;

  const days = Math.min(41, Math.max(12, Math.round(options.orders / 25)));
  const start = options.end - (days + 1) * DAY;
  // Orders taken before go-live stay outside stock tracking: let the processes see them before any warehouse exists.
  await options.settle();

  for (const w of WAREHOUSES) await send(warehouseStaff, { type: 'RegisterWarehouse', data: { ...w, registeredAt: iso(start) } });
  await options.settle();
  for (const region of ['north', 'south', 'east', 'west', 'central']) {
    const own = regional(region);
    await send(warehouseStaff, { type: 'SetSourcingOrder', data: { region, warehouseIds: [own, HUB], setAt: iso(start + 3_600_000) } });
  }

  // Opening stock, with reorder policies. Cheap items come in packs; the scarce pump hardly at all.
  const packOf = (sku: string) => (listPrice(sku) < 10_000 ? 10 : 1);
  for (const w of WAREHOUSES) {
    for (const sku of STOCKED) {
      const pack = packOf(sku);
      const base = pack === 10 ? 120 : 14;
      const hub = w.warehouseId === HUB;
      const quantity = sku === SCARCE ? (hub ? 0 : rnd.int(1, 3)) : (hub ? 2 : 1) * (base + rnd.int(0, base / 2));
      // One receipt per warehouse was entered two days late: its business date is go-live, recorded later.
      const late = sku === 'VLV-002';
      if (quantity > 0) {
        await send(warehouseStaff, {
          type: 'ReceiveStock',
          data: {
            warehouseId: w.warehouseId,
            sku,
            receiptId: `OPEN-${w.warehouseId}-${sku}`,
            quantity,
            unitCost: euros(cost(sku)),
            reference: 'opening balance',
            businessDate: day(start),
            recordedAt: iso(start + (late ? 2 * DAY : 3_600_000)),
          },
        });
      }
      const min = sku === SCARCE ? 4 : Math.round((hub ? 0.8 : 0.4) * base);
      await send(warehouseStaff, {
        type: 'SetReorderPolicy',
        data: {
          warehouseId: w.warehouseId,
          sku,
          min,
          max: min * 3,
          packMultiple: pack,
          leadTimeDays: sku === SCARCE ? 45 : hub ? 10 : 6,
          setAt: iso(start + 2 * 3_600_000),
        },
      });
    }
  }
  await options.settle();

  const open: string[] = [];
  const approvedOn = new Map<string, number>();
  const onOrder = new Map<string, { arrives: number; quantity: number; ref: string }>();
  const inTransit: { warehouseId: string; sku: string; transferId: string; arrives: number }[] = [];
  const shipped: { orderId: string; shipmentId: string; deliverOn: number }[] = [];
  const returnsDue: { orderId: string; shipmentId: string; returnOn: number; damaged: boolean }[] = [];
  let delivered = 0;
  let orders = 0;
  // The hub's booster sets are on order from go-live (45 days' lead time); the supplier ships part of them early.
  const earlyBatchDay = Math.ceil(days / 2);

  for (let d = 1; d <= days; d++) {
    const today = start + d * DAY;
    const at = (hour: number) => iso(today + hour * 3_600_000);

    // Goods ordered from suppliers and transfers arrive in the morning, and fill backorders oldest order first.
    for (const [key, po] of [...onOrder]) {
      if (po.arrives > today) continue;
      const [warehouseId, sku] = key.split('|') as [string, string];
      await send(warehouseStaff, {
        type: 'ReceiveStock',
        data: {
          warehouseId,
          sku,
          receiptId: po.ref,
          quantity: po.quantity,
          unitCost: euros(cost(sku)),
          reference: `PO ${po.ref}`,
          businessDate: day(today),
          recordedAt: at(8),
        },
      });
      onOrder.delete(key);
    }
    if (d === earlyBatchDay) {
      const key = `${HUB}|${SCARCE}`;
      const po = onOrder.get(key);
      const ref = po?.ref ?? `PO-HUB-${SCARCE}-0`;
      const quantity = Math.min(6, po?.quantity ?? 6);
      await send(warehouseStaff, {
        type: 'ReceiveStock',
        data: {
          warehouseId: HUB,
          sku: SCARCE,
          receiptId: `${ref}-PART1`,
          quantity,
          unitCost: euros(cost(SCARCE)),
          reference: `PO ${ref}: part delivery, shipped early by the supplier`,
          businessDate: day(today),
          recordedAt: at(8),
        },
      });
      if (po && po.quantity > quantity) onOrder.set(key, { ...po, quantity: po.quantity - quantity });
      else onOrder.delete(key);
    }
    for (const t of inTransit.filter((x) => x.arrives <= today)) {
      await send(warehouseStaff, {
        type: 'TransferStockIn',
        data: { warehouseId: t.warehouseId, sku: t.sku, transferId: t.transferId, businessDate: day(today), recordedAt: at(8) },
      });
      inTransit.splice(inTransit.indexOf(t), 1);
    }

    // Returns arrive in the morning: part of one line of a delivered shipment, credited at once (and restocked by the
    // fulfilment process unless damaged).
    for (const ret of returnsDue.filter((x) => x.returnOn === today)) {
      const o = await orderOf(ret.orderId);
      const lines = o?.shipments.get(ret.shipmentId)?.lines ?? [];
      if (!o || lines.length === 0) continue;
      const line = rnd.pick(lines);
      const n = o.returnIds.size + 1;
      await send(dealer(o.partnerId), {
        type: 'ReturnGoods',
        data: {
          orderId: o.orderId,
          returnId: `${o.orderId}-R${n}`,
          creditNoteId: `${o.orderId}-CN${n}`,
          lines: [{ lineNo: line.lineNo, quantity: Math.max(1, Math.floor(line.quantity / 3)) }],
          reason: ret.damaged ? 'Damaged in transit' : rnd.pick(['Surplus to project needs', 'Wrong model ordered', 'End customer cancelled the installation']),
          restock: !ret.damaged,
          returnedAt: at(9),
        },
      });
    }

    // Dealers order from stock; what automated review leaves waiting, sales approves the same day; the fulfilment
    // process then reserves.
    const placedToday: string[] = [];
    const place = async (partnerId: string, lines: { sku: string; quantity: number }[], hour: number) => {
      const orderId = `SO-S${String(++orders).padStart(4, '0')}`;
      const placed = await bus.placeOrder(
        // Dealers ordering from stock ask for delivery within a week.
        { orderId, partnerId, lines, placedAt: at(hour), requestedDeliveryDate: day(today + 7 * DAY), customerReference: `PO-${rnd.int(10000, 99999)}` },
        { commandId: `demo-${options.seed}-stock-${sent++}`, actor: dealer(partnerId) },
      );
      if (placed._tag === 'Left') refused[placed.left.code] = (refused[placed.left.code] ?? 0) + 1;
      else placedToday.push(orderId);
    };
    for (let n = rnd.int(0, 3); n > 0; n--) {
      const d0 = rnd.weighted(DEALERS.map((x) => [x, x.weight] as const));
      const skus = new Set<string>();
      const lines = rnd.int(1, 3);
      while (skus.size < lines) skus.add(rnd.chance(0.15) ? SCARCE : rnd.pick(STOCKED));
      await place(
        d0.partnerId,
        [...skus].map((sku) => ({ sku, quantity: packOf(sku) === 10 ? rnd.int(2, 8) * 5 : rnd.int(1, 4) })),
        9 + n,
      );
    }
    // Near the end, a pumping-station project needs eight booster sets at once: more than the warehouses hold, so most
    // of it waits for the supplier.
    if (d === days - 2) await place('atlantic-fluid', [{ sku: SCARCE, quantity: 8 }], 9);
    await options.settle();
    for (const orderId of placedToday) {
      if ((await orderOf(orderId))?.lifecycle === 'placed') await send(sales, { type: 'ApproveOrder', data: { orderId, approvedAt: at(13) } });
      const lifecycle = (await orderOf(orderId))?.lifecycle;
      if (lifecycle === 'approved' || lifecycle === 'confirmed') {
        open.push(orderId);
        approvedOn.set(orderId, d);
      }
    }
    await options.settle();

    // Now and then a dealer cancels a waiting order: its reservations and backorders go to the next in line.
    if (d % 9 === 0) {
      for (const orderId of open) {
        const o = await orderOf(orderId);
        if (o?.lifecycle === 'approved' && o.lines.every((l) => l.shipped === 0)) {
          await send(dealer(o.partnerId), { type: 'CancelOrder', data: { orderId, reason: 'Customer project postponed', cancelledAt: at(15) } });
          open.splice(open.indexOf(orderId), 1);
          break;
        }
      }
    }

    // The warehouse ships confirmed orders the day after, from each warehouse holding their reservations. An order
    // waiting more than a week on a backorder is confirmed by hand: what is reserved ships, the rest follows.
    for (const orderId of [...open]) {
      let o = await orderOf(orderId);
      if (!o?.stock || (approvedOn.get(orderId) ?? d) >= d) continue;
      if (o.lifecycle === 'approved' && d - (approvedOn.get(orderId) ?? d) > 7 && o.stock.some((a) => a.reserved > a.shipped)) {
        await send(sales, { type: 'ConfirmOrder', data: { orderId, confirmedAt: at(15) } });
        o = await orderOf(orderId);
      }
      if (!o?.stock || o.lifecycle !== 'confirmed') continue;
      const byWarehouse = new Map<string, { lineNo: number; quantity: number }[]>();
      for (const a of o.stock) {
        const q = a.reserved - a.shipped;
        if (q > 0) byWarehouse.set(a.warehouseId, [...(byWarehouse.get(a.warehouseId) ?? []), { lineNo: a.lineNo, quantity: q }]);
      }
      let i = o.shipments.size;
      for (const [warehouseId, lines] of byWarehouse) {
        const shipmentId = `${orderId}-S${++i}`;
        const r = await send(warehouseStaff, {
          type: 'ShipOrder',
          data: { orderId, shipmentId, lines, warehouseId, shippedAt: at(16), carrier: rnd.pick(['DHL Freight', 'DB Schenker', 'GEODIS']) },
        });
        if (r._tag === 'Right') shipped.push({ orderId, shipmentId, deliverOn: today + rnd.int(1, 3) * DAY });
      }
      if ((await orderOf(orderId))?.lines.every((l) => l.shipped === l.quantity)) open.splice(open.indexOf(orderId), 1);
    }
    for (const s of shipped.filter((x) => x.deliverOn <= today)) {
      const o = await orderOf(s.orderId);
      const r = await send(dealer(o!.partnerId), { type: 'DeliverShipment', data: { orderId: s.orderId, shipmentId: s.shipmentId, deliveredAt: at(11) } });
      shipped.splice(shipped.indexOf(s), 1);
      // About one delivery in six is partly sent back a few days later; the third such return was damaged in transit.
      if (r._tag === 'Right' && ++delivered % 6 === 2) {
        returnsDue.push({ orderId: s.orderId, shipmentId: s.shipmentId, returnOn: today + rnd.int(2, 5) * DAY, damaged: returnsDue.length === 2 });
      }
    }

    // Replenishment at the end of the day: the hub sends what a regional warehouse is short of; what is still low is
    // ordered from the supplier, as suggested, and arrives after the lead time.
    for (const w of WAREHOUSES) {
      for (const sku of STOCKED) {
        const s = await stockOf(w.warehouseId, sku);
        if (!s.policy) continue;
        const suggestion = suggestReorder(projectedQuantity(s), s.policy);
        if (!suggestion.low) continue;
        const key = `${w.warehouseId}|${sku}`;
        if (w.warehouseId !== HUB && d % 5 === 0) {
          const hub = await stockOf(HUB, sku);
          const quantity = Math.min(availableQuantity(hub) - (hub.policy?.min ?? 0), suggestion.quantity);
          if (quantity > 0) {
            const transferId = `TR-${w.warehouseId.slice(3)}-${sku}-${d}`;
            await send(warehouseStaff, {
              type: 'TransferStockOut',
              data: { warehouseId: HUB, sku, transferId, toWarehouseId: w.warehouseId, quantity, businessDate: day(today), recordedAt: at(17) },
            });
            inTransit.push({ warehouseId: w.warehouseId, sku, transferId, arrives: today + 2 * DAY });
            continue;
          }
        }
        if (onOrder.has(key) || inTransit.some((t) => t.warehouseId === w.warehouseId && t.sku === sku)) continue;
        onOrder.set(key, { arrives: today + s.policy.leadTimeDays * DAY, quantity: suggestion.quantity, ref: `PO-${w.warehouseId.slice(3)}-${sku}-${d}` });
      }
    }

    // Early on, the hub rebalances: valves go north ahead of the season.
    if (d === 2) {
      const transferId = 'TR-REBALANCE-1';
      await send(warehouseStaff, {
        type: 'TransferStockOut',
        data: {
          warehouseId: HUB,
          sku: 'VLV-001',
          transferId,
          toWarehouseId: 'WH-NORTH',
          quantity: 60,
          reference: 'seasonal rebalancing',
          businessDate: day(today),
          recordedAt: at(17),
        },
      });
      inTransit.push({ warehouseId: 'WH-NORTH', sku: 'VLV-001', transferId, arrives: today + 3 * DAY });
    }

    // Weekly cycle count in one warehouse, and the odd damaged unit.
    if (d % 7 === 3) {
      const w = WAREHOUSES[((d / 7) % WAREHOUSES.length) | 0]!.warehouseId;
      for (const sku of STOCKED.slice(0, 6)) {
        const s = await stockOf(w, sku);
        if (s.currency === null) continue; // never stocked here: nothing to count
        const counted = Math.max(s.reserved, s.onHand - rnd.int(0, 2));
        await send(warehouseStaff, {
          type: 'AdjustStock',
          data: {
            warehouseId: w,
            sku,
            adjustmentId: `CNT-${w.slice(3)}-${sku}-${d}`,
            reason: 'count',
            countedQuantity: counted,
            businessDate: day(today),
            recordedAt: at(18),
          },
        });
      }
    }
    if (d % 11 === 4) {
      const w = rnd.pick(WAREHOUSES).warehouseId;
      const sku = rnd.pick(STOCKED);
      const s = await stockOf(w, sku);
      if (availableQuantity(s) > 0) {
        await send(warehouseStaff, {
          type: 'AdjustStock',
          data: {
            warehouseId: w,
            sku,
            adjustmentId: `DMG-${d}`,
            reason: 'damage',
            quantityChange: -1,
            note: 'Dropped during picking',
            businessDate: day(today - DAY),
            recordedAt: at(18),
          },
        });
      }
    }
    // The day's shipments leave stock and its transfers go in transit before the next morning's receipts are entered.
    await options.settle();
  }
  return { commands: sent, refused, orders, alreadySeeded: false };
};
