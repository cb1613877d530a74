import { type Either, right } from 'fp-ts/Either';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import type { WarehouseCommand } from './commands';
import type { WarehouseEvent } from './events';

export type WarehouseState =
  | { readonly exists: false }
  | { readonly exists: true; readonly warehouseId: string; readonly name: string; readonly region: string; readonly address?: string };

export const warehouseStream = (warehouseId: string): string => `warehouse-${warehouseId}`;

export const evolveWarehouse = (state: WarehouseState, event: WarehouseEvent): WarehouseState => {
  switch (event.type) {
    case 'WarehouseRegistered': {
      const { warehouseId, name, region, address } = event.data;
      return { exists: true, warehouseId, name, region, ...(address ? { address } : {}) };
    }
  }
  return state;
};

export const decideWarehouse = (command: WarehouseCommand, state: WarehouseState): Either<DomainError, readonly WarehouseEvent[]> => {
  switch (command.type) {
    case 'RegisterWarehouse':
      if (state.exists)
        return refuse('WAREHOUSE_ALREADY_EXISTS', `Warehouse ${command.data.warehouseId} is already registered.`, { warehouseId: command.data.warehouseId });
      return right([{ type: 'WarehouseRegistered', data: command.data }]);
  }
};

export const warehouseDecider: Decider<WarehouseCommand, WarehouseEvent, WarehouseState> = {
  initialState: { exists: false },
  decide: decideWarehouse,
  evolve: evolveWarehouse,
};
