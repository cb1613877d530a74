import { describe, it } from 'vitest';
import { given } from '../testing';
import { sourcingDecider, warehouseDecider } from './index';

const at = '2025-03-10T09:00:00Z';

describe('warehouses', () => {
  it('are registered once, in a region', () => {
    const registered = { type: 'WarehouseRegistered' as const, data: { warehouseId: 'n1', name: 'Oslo DC', region: 'north', registeredAt: at } };
    given(warehouseDecider)()
      .when({ type: 'RegisterWarehouse', data: { warehouseId: 'n1', name: 'Oslo DC', region: 'north', registeredAt: at } })
      .then(registered);
    given(warehouseDecider)(registered)
      .when({ type: 'RegisterWarehouse', data: { warehouseId: 'n1', name: 'Oslo DC', region: 'north', registeredAt: at } })
      .thenRefuses('WAREHOUSE_ALREADY_EXISTS');
  });
});

describe("a region's sourcing order", () => {
  const set = (...warehouseIds: string[]) => ({ type: 'SourcingOrderSet' as const, data: { region: 'north', warehouseIds, setAt: at } });

  it('grows as warehouses are registered, once each, and can be set in any order', () => {
    given(sourcingDecider)(set('n1'))
      .when({ type: 'AddWarehouseToSourcing', data: { region: 'north', warehouseId: 'n2', addedAt: at } })
      .then(set('n1', 'n2'));
    given(sourcingDecider)(set('n1', 'n2'))
      .when({ type: 'AddWarehouseToSourcing', data: { region: 'north', warehouseId: 'n2', addedAt: at } })
      .then();
    given(sourcingDecider)(set('n1', 'n2'))
      .when({ type: 'SetSourcingOrder', data: { region: 'north', warehouseIds: ['n2', 'c1', 'n1'], setAt: at } })
      .then(set('n2', 'c1', 'n1'));
  });
});
