import { type Either, right } from 'fp-ts/Either';
import type { Decider } from '../shared/decider';
import type { DomainError } from '../shared/errors';
import type { SourcingCommand } from './commands';
import type { SourcingEvent } from './events';

/** The warehouses a region's orders are reserved in, in the order they are tried. Empty until one is registered or set. */
export interface SourcingState {
  readonly warehouseIds: readonly string[];
}

export const sourcingStream = (region: string): string => `sourcing-${region}`;

export const evolveSourcing = (_state: SourcingState, event: SourcingEvent): SourcingState => ({ warehouseIds: event.data.warehouseIds });

export const decideSourcing = (command: SourcingCommand, state: SourcingState): Either<DomainError, readonly SourcingEvent[]> => {
  switch (command.type) {
    case 'SetSourcingOrder':
      return right([{ type: 'SourcingOrderSet', data: command.data }]);
    case 'AddWarehouseToSourcing': {
      const { region, warehouseId, addedAt } = command.data;
      if (state.warehouseIds.includes(warehouseId)) return right([]);
      return right([{ type: 'SourcingOrderSet', data: { region, warehouseIds: [...state.warehouseIds, warehouseId], setAt: addedAt } }]);
    }
  }
};

export const sourcingDecider: Decider<SourcingCommand, SourcingEvent, SourcingState> = {
  initialState: { warehouseIds: [] },
  decide: decideSourcing,
  evolve: evolveSourcing,
};
