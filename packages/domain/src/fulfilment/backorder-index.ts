import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import type { Decider } from '../shared/decider';
import type { DomainError } from '../shared/errors';
import { Id, IsoDateTime, Sku } from '../shared/ids';

/**
 * Where backorders of a SKU may be waiting: every warehouse in which one ever waited. The backorders themselves live in
 * the stock streams (`stock-<warehouse>.<sku>`), which alone decide whether one is still waiting; this index only tells
 * the backorder sourcing process which of those streams to read when stock of the SKU becomes available somewhere, so
 * that it never scans every stream. A warehouse is noted once and never removed: reading a stream with nothing waiting
 * costs a read, never a wrong decision.
 */
export const backorderIndexStream = (sku: string): string => `backorderindex-${sku}`;

export const NoteBackorderWarehouse = z.strictObject({
  type: z.literal('NoteBackorderWarehouse'),
  data: z.strictObject({ sku: Sku, warehouseId: Id, notedAt: IsoDateTime }),
});
export const BackorderIndexCommand = z.discriminatedUnion('type', [NoteBackorderWarehouse]);
export type BackorderIndexCommand = z.infer<typeof BackorderIndexCommand>;

export const BackorderWarehouseNoted = z.object({
  type: z.literal('BackorderWarehouseNoted'),
  data: z.object({ sku: Sku, warehouseId: Id, notedAt: IsoDateTime }),
});
export const BackorderIndexEvent = z.discriminatedUnion('type', [BackorderWarehouseNoted]);
export type BackorderIndexEvent = z.infer<typeof BackorderIndexEvent>;

export interface BackorderIndexState {
  readonly warehouseIds: readonly string[];
}

export const backorderIndexDecider: Decider<BackorderIndexCommand, BackorderIndexEvent, BackorderIndexState> = {
  initialState: { warehouseIds: [] },
  decide: (command, state): Either<DomainError, readonly BackorderIndexEvent[]> =>
    state.warehouseIds.includes(command.data.warehouseId) ? right([]) : right([{ type: 'BackorderWarehouseNoted', data: command.data }]),
  evolve: (state, event) => ({ warehouseIds: [...state.warehouseIds, event.data.warehouseId] }),
};
