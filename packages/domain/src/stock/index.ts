import type { Decider } from '../shared/decider';
import type { StockCommand } from './commands';
import { decideStock } from './decide';
import type { StockEvent } from './events';
import { evolveStock, initialStockState, type StockState } from './state';

export * from './commands';
export { backorderQueue, byPlacement, decideStock } from './decide';
export * from './events';
export * from './reorder';
export * from './state';
export * from './valuation';

/** One stream per warehouse and SKU: every reservation of that SKU there is serialised, so availability never goes below zero. */
export const stockStream = (warehouseId: string, sku: string): string => `stock-${warehouseId}.${sku}`;

/** The warehouse and SKU of a stock stream id, or undefined for any other stream. */
export const parseStockStream = (streamId: string): { warehouseId: string; sku: string } | undefined => {
  const m = /^stock-([^.]+)\.(.+)$/.exec(streamId);
  return m ? { warehouseId: m[1]!, sku: m[2]! } : undefined;
};

export const stockDecider: Decider<StockCommand, StockEvent, StockState> = {
  initialState: initialStockState,
  decide: decideStock,
  evolve: evolveStock,
};
