import { z } from 'zod';
import { RegionId } from '../partners/commands';
import { Id, IsoDateTime } from '../shared/ids';
import { NonEmptyText, Text } from '../shared/text';

export const RegisterWarehouse = z.strictObject({
  type: z.literal('RegisterWarehouse'),
  data: z.strictObject({
    warehouseId: Id,
    name: NonEmptyText(120),
    region: RegionId,
    address: Text(300).optional(),
    registeredAt: IsoDateTime,
  }),
});

export const WarehouseCommand = z.discriminatedUnion('type', [RegisterWarehouse]);
export type WarehouseCommand = z.infer<typeof WarehouseCommand>;

const distinct = (ids: readonly string[]) => new Set(ids).size === ids.length;

/** The warehouses that serve a region's dealers, in the order they are tried: the first is the region's own. */
export const SetSourcingOrder = z.strictObject({
  type: z.literal('SetSourcingOrder'),
  data: z.strictObject({
    region: RegionId,
    warehouseIds: z.array(Id).min(1, 'name at least one warehouse').max(20).refine(distinct, 'each warehouse may appear only once'),
    setAt: IsoDateTime,
  }),
});

/** Sent when a warehouse is registered: it joins the end of its region's sourcing order, unless it is already in it. */
export const AddWarehouseToSourcing = z.strictObject({
  type: z.literal('AddWarehouseToSourcing'),
  data: z.strictObject({ region: RegionId, warehouseId: Id, addedAt: IsoDateTime }),
});

export const SourcingCommand = z.discriminatedUnion('type', [SetSourcingOrder, AddWarehouseToSourcing]);
export type SourcingCommand = z.infer<typeof SourcingCommand>;
