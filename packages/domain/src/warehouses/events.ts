import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';

export const WarehouseRegistered = z.object({
  type: z.literal('WarehouseRegistered'),
  data: z.object({ warehouseId: Id, name: z.string(), region: Id, address: z.string().optional(), registeredAt: IsoDateTime }),
});

export const WarehouseEvent = z.discriminatedUnion('type', [WarehouseRegistered]);
export type WarehouseEvent = z.infer<typeof WarehouseEvent>;

export const SourcingOrderSet = z.object({
  type: z.literal('SourcingOrderSet'),
  data: z.object({ region: Id, warehouseIds: z.array(Id), setAt: IsoDateTime }),
});

export const SourcingEvent = z.discriminatedUnion('type', [SourcingOrderSet]);
export type SourcingEvent = z.infer<typeof SourcingEvent>;
