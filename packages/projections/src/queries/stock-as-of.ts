import { aggregates, projectedQuantity, type StockState, suggestReorder, type WarehouseState } from '@dms/domain';
import { type AsOf, type EventStore, evolveRecorded, type RecordedEvent, withinCut } from '@dms/eventstore';
import { rollUpValuation, type StockValuation, type ValuationRow } from './stock';

/**
 * The stock valuation as of a moment, recomputed from the event log, not from the current tables: every stock line
 * (`stock-<warehouse>.<sku>`) and every warehouse's region folded by the domain's own evolve from the events recorded by
 * then (`AsOf`: a recording time and/or a global position, as `dms audit state` cuts), grouped and rolled up exactly as
 * `stockValuation` does from `stock_levels`. So the report printed at a month end can be printed again later, to the unit
 * and the cent, whatever was recorded since (a back-dated movement recorded after the month end is not in it, as it was
 * not in the report then). Reads the stock and warehouse streams once through `$all`; memory grows with the stock lines.
 */
export const stockValuationAsOf = async (store: EventStore, asOf: AsOf): Promise<StockValuation[]> => {
  const lines = new Map<string, { warehouseId: string; sku: string; state: StockState }>();
  const regions = new Map<string, string>();
  const warehouses = new Map<string, WarehouseState>();
  const cut = new Set<string>();
  const within = (e: RecordedEvent) => {
    // The longest prefix of each stream within the cut, as for one aggregate's state.
    if (cut.has(e.streamId)) return false;
    if (withinCut(e, asOf)) return true;
    cut.add(e.streamId);
    return false;
  };
  for await (const e of store.readAll({ filter: { streamPrefixes: ['stock-', 'warehouse-'] } })) {
    if (asOf.position !== undefined && e.globalPosition > asOf.position) break;
    if (!within(e)) continue;
    if (e.streamId.startsWith('warehouse-')) {
      const state = evolveRecorded(aggregates.warehouses, warehouses.get(e.streamId) ?? aggregates.warehouses.decider.initialState, e);
      warehouses.set(e.streamId, state);
      if (state.exists) regions.set(state.warehouseId, state.region);
      continue;
    }
    const line = lines.get(e.streamId);
    const data = e.data as { warehouseId: string; sku: string };
    lines.set(e.streamId, {
      warehouseId: line?.warehouseId ?? data.warehouseId,
      sku: line?.sku ?? data.sku,
      state: evolveRecorded(aggregates.stock, line?.state ?? aggregates.stock.decider.initialState, e),
    });
  }

  type Group = { region: string | null; currency: string | null; overall: number; warehouses: Set<string>; skus: Set<string> } & Omit<
    ValuationRow,
    'region' | 'currency' | 'overall' | 'warehouses' | 'skus' | 'value_minor' | 'incoming_value_minor'
  > & { value: bigint; incomingValue: bigint };
  const groups = new Map<string, Group>();
  const add = (region: string | null, overall: number, line: { warehouseId: string; sku: string; state: StockState }) => {
    const s = line.state;
    const key = `${overall}\u0000${region ?? '\u0000'}\u0000${s.currency ?? ''}`;
    const g = groups.get(key) ?? {
      region,
      currency: s.currency,
      overall,
      warehouses: new Set<string>(),
      skus: new Set<string>(),
      on_hand: 0,
      reserved: 0,
      backordered: 0,
      incoming: 0,
      value: 0n,
      incomingValue: 0n,
      low: 0,
    };
    const projected = projectedQuantity({ onHand: s.onHand, incoming: s.incoming, reserved: s.reserved, backordered: s.backordered });
    groups.set(key, {
      ...g,
      warehouses: g.warehouses.add(line.warehouseId),
      skus: g.skus.add(line.sku),
      on_hand: g.on_hand + s.onHand,
      reserved: g.reserved + s.reserved,
      backordered: g.backordered + s.backordered,
      incoming: g.incoming + s.incoming,
      value: g.value + BigInt(s.value),
      incomingValue: g.incomingValue + BigInt(s.incomingValue),
      low: g.low + (s.policy && suggestReorder(projected, s.policy).low ? 1 : 0),
    });
  };
  for (const line of lines.values()) {
    add(regions.get(line.warehouseId) ?? null, 0, line);
    add(null, 1, line);
  }
  // The order the SQL gives: regions (by name, the unassigned last), then all regions.
  const rows: ValuationRow[] = [...groups.values()]
    .sort(
      (a, b) =>
        a.overall - b.overall ||
        (a.region === b.region ? 0 : a.region === null ? 1 : b.region === null ? -1 : a.region < b.region ? -1 : 1) ||
        (a.currency ?? '').localeCompare(b.currency ?? ''),
    )
    .map((g) => ({
      region: g.region,
      currency: g.currency,
      overall: g.overall,
      warehouses: g.warehouses.size,
      skus: g.skus.size,
      on_hand: g.on_hand,
      reserved: g.reserved,
      backordered: g.backordered,
      incoming: g.incoming,
      value_minor: g.value.toString(),
      incoming_value_minor: g.incomingValue.toString(),
      low: g.low,
    }));
  return rollUpValuation(rows);
};
