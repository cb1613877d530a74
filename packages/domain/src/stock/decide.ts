import { type Either, right } from 'fp-ts/Either';
import { type DomainError, refuse } from '../shared/errors';
import { divideRoundHalfUp, type Money } from '../shared/money';
import type { StockCommand, StockCommandData } from './commands';
import type { StockEvent } from './events';
import { availableQuantity } from './reorder';
import { evolveStock, lineKey, type OrderLineStock, returnKey, type StockState, shipmentKey } from './state';
import { addValues, costOfIssue, costOfReceipt, transferShare } from './valuation';

type Decision = Either<DomainError, readonly StockEvent[]>;

const where = (d: { warehouseId: string; sku: string }) => `${d.sku} at ${d.warehouseId}`;

const money = (amountMinor: number, currency: string): Money => ({ amountMinor, currency });

/** A movement cannot have happened after it was recorded. */
const futureDate = (d: { businessDate: string; recordedAt: string }): Decision | undefined =>
  d.businessDate > d.recordedAt.slice(0, 10)
    ? refuse('BUSINESS_DATE_IN_FUTURE', `The business date ${d.businessDate} is after the day it was recorded (${d.recordedAt.slice(0, 10)}).`, {
        businessDate: d.businessDate,
        recordedAt: d.recordedAt,
      })
    : undefined;

const wrongCurrency = (state: StockState, amount: Money, d: { warehouseId: string; sku: string }): Decision | undefined =>
  state.currency !== null && state.currency !== amount.currency
    ? refuse('CURRENCY_MISMATCH', `${where(d)} is valued in ${state.currency}, not ${amount.currency}.`, { expected: state.currency, found: amount.currency })
    : undefined;

const tooLarge = (d: { warehouseId: string; sku: string }): Decision =>
  refuse('AMOUNT_TOO_LARGE', `The value of ${where(d)} would exceed the largest amount DMS can represent exactly.`, { warehouseId: d.warehouseId, sku: d.sku });

/** Oldest order first: when it was placed, then its id and line, so that ties are broken the same way everywhere. */
export const byPlacement = (a: Pick<OrderLineStock, 'placedAt' | 'orderId' | 'lineNo'>, b: Pick<OrderLineStock, 'placedAt' | 'orderId' | 'lineNo'>): number =>
  Date.parse(a.placedAt) - Date.parse(b.placedAt) || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : a.lineNo - b.lineNo);

/** The queue of backorders, in the order they are filled. */
export const backorderQueue = (state: StockState): OrderLineStock[] => [...state.lines.values()].filter((l) => l.backordered > 0).sort(byPlacement);

/**
 * Whenever stock becomes available (a receipt, a transfer in, units found, a reservation released), the backorders are
 * filled in the order their orders were placed, as far as it goes: the oldest order first, in full before the next.
 */
const fillBackorders = (state: StockState, d: { warehouseId: string; sku: string }, at: string): StockEvent[] => {
  let available = availableQuantity(state);
  const events: StockEvent[] = [];
  for (const line of backorderQueue(state)) {
    if (available <= 0) break;
    const quantity = Math.min(available, line.backordered);
    events.push({
      type: 'StockReserved',
      data: {
        warehouseId: d.warehouseId,
        sku: d.sku,
        orderId: line.orderId,
        lineNo: line.lineNo,
        partnerId: line.partnerId,
        placedAt: line.placedAt,
        ...(line.region ? { region: line.region } : {}),
        quantity,
        fromBackorder: true,
        reservedAt: at,
      },
    });
    available -= quantity;
  }
  return events;
};

/** The movement's own events, followed by the backorders they allow to be filled. */
const thenFill = (state: StockState, events: StockEvent[], d: { warehouseId: string; sku: string }, at: string): Decision =>
  right([...events, ...fillBackorders(events.reduce(evolveStock, state), d, at)]);

const receive = (state: StockState, d: StockCommandData<'ReceiveStock'>): Decision => {
  if (state.receiptIds.has(d.receiptId))
    return refuse('DUPLICATE_RECEIPT', `Receipt ${d.receiptId} is already recorded for ${where(d)}.`, { receiptId: d.receiptId });
  const invalid = futureDate(d) ?? wrongCurrency(state, d.unitCost, d);
  if (invalid) return invalid;
  const value = costOfReceipt(d.unitCost, d.quantity);
  if (value === undefined || addValues(state.value, value) === undefined) return tooLarge(d);
  return thenFill(state, [{ type: 'StockReceived', data: { ...d, value: money(value, d.unitCost.currency) } }], d, d.recordedAt);
};

const reserve = (state: StockState, d: StockCommandData<'ReserveStock'>): Decision => {
  const available = availableQuantity(state);
  const reserved = Math.min(d.quantity, available);
  const backordered = d.quantity - reserved;
  if (backordered > 0 && d.onShortage === 'refuse') {
    return refuse('INSUFFICIENT_STOCK', `Only ${available} of ${where(d)} ${available === 1 ? 'is' : 'are'} available; ${d.quantity} requested.`, {
      warehouseId: d.warehouseId,
      sku: d.sku,
      available,
      requested: d.quantity,
    });
  }
  const { warehouseId, sku, orderId, lineNo, partnerId, placedAt } = d;
  const region = d.region ? { region: d.region } : {};
  const events: StockEvent[] = [];
  if (reserved > 0)
    events.push({
      type: 'StockReserved',
      data: { warehouseId, sku, orderId, lineNo, partnerId, placedAt, ...region, quantity: reserved, fromBackorder: false, reservedAt: d.reservedAt },
    });
  if (backordered > 0)
    events.push({
      type: 'StockBackordered',
      data: { warehouseId, sku, orderId, lineNo, partnerId, placedAt, ...region, quantity: backordered, backorderedAt: d.reservedAt },
    });
  return right(events);
};

/**
 * Moves what is still waiting of an order line's backorder (at most the quantity asked) to another warehouse. Nothing
 * waiting any more (a receipt here filled it, another warehouse took it first, the order was cancelled) is no event:
 * the sender asked to move what waits, and nothing does.
 */
const withdrawBackorder = (state: StockState, d: StockCommandData<'WithdrawBackorder'>): Decision => {
  if (d.toWarehouseId === d.warehouseId)
    return refuse('SAME_WAREHOUSE', `A backorder is moved to another warehouse; ${d.warehouseId} is where it waits.`, { warehouseId: d.warehouseId });
  const waiting = state.lines.get(lineKey(d.orderId, d.lineNo))?.backordered ?? 0;
  if (waiting === 0) return right([]);
  return right([{ type: 'StockBackorderWithdrawn', data: { ...d, quantity: Math.min(waiting, d.quantity) } }]);
};

/**
 * Puts returned goods of one shipment back on hand, at the cost they left with: the shipment's value in cumulative
 * shares, so that however it comes back in parts, exactly its value returns. Then fills waiting backorders.
 */
const returnStock = (state: StockState, d: StockCommandData<'ReturnStock'>): Decision => {
  const invalid = futureDate(d);
  if (invalid) return invalid;
  if (state.returnKeys.has(returnKey(d.orderId, d.lineNo, d.shipmentId, d.returnId)))
    return refuse(
      'DUPLICATE_RETURN',
      `Return ${d.returnId} of shipment ${d.shipmentId} (order ${d.orderId} line ${d.lineNo}) is already back in ${where(d)}.`,
      {
        returnId: d.returnId,
        shipmentId: d.shipmentId,
      },
    );
  const out = state.shipmentsOut.get(shipmentKey(d.orderId, d.lineNo, d.shipmentId));
  if (!out)
    return refuse('SHIPMENT_NOT_FOUND', `Shipment ${d.shipmentId} of order ${d.orderId} line ${d.lineNo} did not leave from ${where(d)}.`, {
      orderId: d.orderId,
      lineNo: d.lineNo,
      shipmentId: d.shipmentId,
      warehouseId: d.warehouseId,
    });
  if (out.returned + d.quantity > out.quantity)
    return refuse(
      'OVER_RETURN',
      `Shipment ${d.shipmentId} took ${out.quantity} of ${where(d)} for order ${d.orderId} line ${d.lineNo}; ${out.returned} already came back, ${d.quantity} more cannot.`,
      { shipped: out.quantity, alreadyReturned: out.returned, requested: d.quantity },
    );
  const value = transferShare(out.value, out.quantity, out.returned, d.quantity);
  if (addValues(state.value, value) === undefined) return tooLarge(d);
  return thenFill(state, [{ type: 'StockReturned', data: { ...d, value: money(value, state.currency ?? 'XXX') } }], d, d.recordedAt);
};

const reservationOf = (state: StockState, d: { warehouseId: string; sku: string; orderId: string; lineNo: number }) => {
  const line = state.lines.get(lineKey(d.orderId, d.lineNo));
  return line
    ? right(line)
    : refuse<OrderLineStock>('RESERVATION_NOT_FOUND', `Order ${d.orderId} line ${d.lineNo} holds nothing of ${where(d)}.`, {
        orderId: d.orderId,
        lineNo: d.lineNo,
        warehouseId: d.warehouseId,
        sku: d.sku,
      });
};

const release = (state: StockState, d: StockCommandData<'ReleaseReservation'>): Decision => {
  const line = reservationOf(state, d);
  if (line._tag === 'Left') return line;
  const { warehouseId, sku, orderId, lineNo, reason } = d;
  const events: StockEvent[] = [];
  if (line.right.reserved > 0)
    events.push({
      type: 'StockReservationReleased',
      data: { warehouseId, sku, orderId, lineNo, quantity: line.right.reserved, reason, releasedAt: d.releasedAt },
    });
  if (line.right.backordered > 0)
    events.push({
      type: 'StockBackorderCancelled',
      data: { warehouseId, sku, orderId, lineNo, quantity: line.right.backordered, reason, cancelledAt: d.releasedAt },
    });
  return thenFill(state, events, d, d.releasedAt);
};

const ship = (state: StockState, d: StockCommandData<'ShipReservedStock'>): Decision => {
  const invalid = futureDate(d);
  if (invalid) return invalid;
  const line = reservationOf(state, d);
  if (line._tag === 'Left') return line;
  if (line.right.shipmentIds.has(d.shipmentId))
    return refuse('DUPLICATE_SHIPMENT', `Shipment ${d.shipmentId} of order ${d.orderId} line ${d.lineNo} is already recorded.`, { shipmentId: d.shipmentId });
  if (d.quantity > line.right.reserved) {
    return refuse(
      'NOT_ENOUGH_RESERVED',
      `Order ${d.orderId} line ${d.lineNo} has ${line.right.reserved} of ${where(d)} reserved; ${d.quantity} cannot ship (${line.right.backordered} backordered).`,
      { orderId: d.orderId, lineNo: d.lineNo, reserved: line.right.reserved, backordered: line.right.backordered, requested: d.quantity },
    );
  }
  const value = costOfIssue(state.onHand, state.value, d.quantity);
  return right([{ type: 'StockShipped', data: { ...d, value: money(value, state.currency ?? 'XXX') } }]);
};

const transferOut = (state: StockState, d: StockCommandData<'TransferStockOut'>): Decision => {
  const invalid = futureDate(d);
  if (invalid) return invalid;
  if (d.toWarehouseId === d.warehouseId)
    return refuse('SAME_WAREHOUSE', `A transfer needs two different warehouses; both are ${d.warehouseId}.`, { warehouseId: d.warehouseId });
  if (state.transferOutIds.has(d.transferId))
    return refuse('DUPLICATE_TRANSFER', `Transfer ${d.transferId} has already left ${d.warehouseId}.`, { transferId: d.transferId });
  const available = availableQuantity(state);
  if (d.quantity > available) {
    return refuse('INSUFFICIENT_STOCK', `Only ${available} of ${where(d)} can be transferred (the rest is reserved or not there); ${d.quantity} requested.`, {
      warehouseId: d.warehouseId,
      sku: d.sku,
      available,
      requested: d.quantity,
    });
  }
  const value = costOfIssue(state.onHand, state.value, d.quantity);
  return right([{ type: 'StockTransferredOut', data: { ...d, value: money(value, state.currency ?? 'XXX') } }]);
};

const inTransit = (state: StockState, d: StockCommandData<'RecordStockInTransit'>): Decision => {
  if (state.transfersIn.has(d.transferId)) return right([]);
  const invalid = wrongCurrency(state, d.value, d);
  if (invalid) return invalid;
  if (addValues(state.incomingValue, d.value.amountMinor) === undefined) return tooLarge(d);
  return right([{ type: 'StockInTransit', data: d }]);
};

const transferIn = (state: StockState, d: StockCommandData<'TransferStockIn'>): Decision => {
  const invalid = futureDate(d);
  if (invalid) return invalid;
  const transfer = state.transfersIn.get(d.transferId);
  if (!transfer) {
    return refuse('TRANSFER_NOT_FOUND', `No transfer ${d.transferId} of ${d.sku} is on its way to ${d.warehouseId}.`, {
      transferId: d.transferId,
      warehouseId: d.warehouseId,
      sku: d.sku,
    });
  }
  const outstanding = transfer.quantity - transfer.received;
  if (outstanding === 0) return refuse('TRANSFER_ALREADY_RECEIVED', `Transfer ${d.transferId} has arrived in full.`, { transferId: d.transferId });
  const quantity = d.quantity ?? outstanding;
  if (quantity > outstanding) {
    return refuse('OVER_RECEIPT', `Transfer ${d.transferId} has ${outstanding} still in transit; ${quantity} cannot arrive.`, {
      transferId: d.transferId,
      inTransit: outstanding,
      requested: quantity,
    });
  }
  const value = transferShare(transfer.value, transfer.quantity, transfer.received, quantity);
  const { warehouseId, sku, transferId, businessDate, recordedAt } = d;
  return thenFill(
    state,
    [
      {
        type: 'StockTransferredIn',
        data: {
          warehouseId,
          sku,
          transferId,
          fromWarehouseId: transfer.fromWarehouseId,
          quantity,
          value: money(value, state.currency ?? 'XXX'),
          businessDate,
          recordedAt,
        },
      },
    ],
    d,
    recordedAt,
  );
};

const adjust = (state: StockState, d: StockCommandData<'AdjustStock'>): Decision => {
  if (state.adjustmentIds.has(d.adjustmentId))
    return refuse('DUPLICATE_ADJUSTMENT', `Adjustment ${d.adjustmentId} is already recorded for ${where(d)}.`, { adjustmentId: d.adjustmentId });
  const invalid = futureDate(d) ?? (d.unitCost ? wrongCurrency(state, d.unitCost, d) : undefined);
  if (invalid) return invalid;
  const change = d.reason === 'count' ? (d.countedQuantity ?? state.onHand) - state.onHand : (d.quantityChange ?? 0);
  if (state.onHand + change < state.reserved) {
    return refuse(
      'ADJUSTMENT_BELOW_RESERVED',
      `${where(d)}: ${state.onHand + change} would be left on hand but ${state.reserved} ${state.reserved === 1 ? 'is' : 'are'} reserved for orders; ship or release reservations first.`,
      { onHand: state.onHand, reserved: state.reserved, change },
    );
  }
  const currency = state.currency ?? d.unitCost?.currency;
  let value: number;
  if (change < 0) {
    value = -costOfIssue(state.onHand, state.value, -change);
  } else if (change === 0) {
    value = 0;
  } else if (d.unitCost) {
    const v = costOfReceipt(d.unitCost, change);
    if (v === undefined) return tooLarge(d);
    value = v;
  } else if (state.onHand > 0) {
    value = Number(divideRoundHalfUp(BigInt(state.value) * BigInt(change), BigInt(state.onHand)));
  } else {
    return refuse('UNIT_COST_REQUIRED', `Nothing of ${where(d)} is on hand to take an average cost from; give the unit cost of the units found.`, {
      warehouseId: d.warehouseId,
      sku: d.sku,
    });
  }
  if (currency === undefined) {
    return refuse('NOTHING_TO_ADJUST', `Nothing of ${where(d)} has ever been received and the count found none: there is nothing to record.`, {
      warehouseId: d.warehouseId,
      sku: d.sku,
    });
  }
  if (addValues(state.value, value) === undefined) return tooLarge(d);
  const { unitCost: _unitCost, quantityChange: _change, ...rest } = d;
  const event: StockEvent = { type: 'StockAdjusted', data: { ...rest, quantityChange: change, value: money(value, currency) } };
  return change > 0 ? thenFill(state, [event], d, d.recordedAt) : right([event]);
};

const setPolicy = (d: StockCommandData<'SetReorderPolicy'>): Decision => {
  if (d.max < d.min)
    return refuse('INVALID_REORDER_POLICY', `The maximum (${d.max}) must be at least the reorder point (${d.min}).`, { min: d.min, max: d.max });
  return right([{ type: 'ReorderPolicySet', data: d }]);
};

export const decideStock = (command: StockCommand, state: StockState): Decision => {
  switch (command.type) {
    case 'ReceiveStock':
      return receive(state, command.data);
    case 'ReserveStock':
      return reserve(state, command.data);
    case 'ReleaseReservation':
      return release(state, command.data);
    case 'ShipReservedStock':
      return ship(state, command.data);
    case 'WithdrawBackorder':
      return withdrawBackorder(state, command.data);
    case 'ReturnStock':
      return returnStock(state, command.data);
    case 'TransferStockOut':
      return transferOut(state, command.data);
    case 'RecordStockInTransit':
      return inTransit(state, command.data);
    case 'TransferStockIn':
      return transferIn(state, command.data);
    case 'AdjustStock':
      return adjust(state, command.data);
    case 'SetReorderPolicy':
      return setPolicy(command.data);
  }
};
