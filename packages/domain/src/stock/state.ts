import type { StockEvent } from './events';
import type { ReorderPolicy } from './reorder';

/** What one order line holds in this warehouse and SKU. A line with nothing left reserved or backordered is dropped. */
export interface OrderLineStock {
  readonly orderId: string;
  readonly lineNo: number;
  readonly partnerId: string;
  readonly placedAt: string;
  /** The order's region, when the reservation carried it: its sourcing order may fill this line's backorder elsewhere. */
  readonly region?: string;
  readonly reserved: number;
  readonly backordered: number;
  readonly shipmentIds: ReadonlySet<string>;
}

/** What one shipment of an order line took from here, and how much of it has come back as a return. */
export interface ShipmentOut {
  readonly quantity: number;
  readonly value: number;
  readonly returned: number;
}

/** A transfer on its way here, or partly arrived. */
export interface TransferInbound {
  readonly fromWarehouseId: string;
  readonly quantity: number;
  readonly value: number;
  readonly received: number;
}

export interface StockState {
  /** Set by the first valued movement; every later one must be in it. */
  readonly currency: string | null;
  readonly onHand: number;
  /** Sum of the reservations of every order line. */
  readonly reserved: number;
  /** Sum of the backorders of every order line. */
  readonly backordered: number;
  /** Units in transit to this warehouse. */
  readonly incoming: number;
  /** Value of what is on hand, in minor units of `currency`. */
  readonly value: number;
  /** Value of what is in transit here. */
  readonly incomingValue: number;
  readonly lines: ReadonlyMap<string, OrderLineStock>;
  readonly transfersIn: ReadonlyMap<string, TransferInbound>;
  readonly transferOutIds: ReadonlySet<string>;
  /** Every shipment from here, by `shipmentKey`: what returns of it may bring back, and at what cost. */
  readonly shipmentsOut: ReadonlyMap<string, ShipmentOut>;
  /** Returns already put back, by `returnKey`. */
  readonly returnKeys: ReadonlySet<string>;
  readonly receiptIds: ReadonlySet<string>;
  readonly adjustmentIds: ReadonlySet<string>;
  readonly policy: ReorderPolicy | null;
}

export const initialStockState: StockState = {
  currency: null,
  onHand: 0,
  reserved: 0,
  backordered: 0,
  incoming: 0,
  value: 0,
  incomingValue: 0,
  lines: new Map(),
  transfersIn: new Map(),
  transferOutIds: new Set(),
  shipmentsOut: new Map(),
  returnKeys: new Set(),
  receiptIds: new Set(),
  adjustmentIds: new Set(),
  policy: null,
};

export const lineKey = (orderId: string, lineNo: number): string => `${orderId}#${lineNo}`;
export const shipmentKey = (orderId: string, lineNo: number, shipmentId: string): string => `${orderId}#${lineNo}/${shipmentId}`;
export const returnKey = (orderId: string, lineNo: number, shipmentId: string, returnId: string): string => `${orderId}#${lineNo}/${shipmentId}/${returnId}`;

/** How a movement changes the totals: shared by the aggregate and the read models, so both always agree. */
export interface StockEffect {
  readonly onHand: number;
  readonly reserved: number;
  readonly backordered: number;
  readonly incoming: number;
  readonly value: number;
  readonly incomingValue: number;
}

const NONE: StockEffect = { onHand: 0, reserved: 0, backordered: 0, incoming: 0, value: 0, incomingValue: 0 };

export const stockEffect = (event: StockEvent): StockEffect => {
  switch (event.type) {
    case 'StockReceived':
      return { ...NONE, onHand: event.data.quantity, value: event.data.value.amountMinor };
    case 'StockReserved':
      return { ...NONE, reserved: event.data.quantity, backordered: event.data.fromBackorder ? -event.data.quantity : 0 };
    case 'StockBackordered':
      return { ...NONE, backordered: event.data.quantity };
    case 'StockReservationReleased':
      return { ...NONE, reserved: -event.data.quantity };
    case 'StockBackorderCancelled':
    case 'StockBackorderWithdrawn':
      return { ...NONE, backordered: -event.data.quantity };
    case 'StockShipped':
      return { ...NONE, onHand: -event.data.quantity, reserved: -event.data.quantity, value: -event.data.value.amountMinor };
    case 'StockReturned':
      return { ...NONE, onHand: event.data.quantity, value: event.data.value.amountMinor };
    case 'StockTransferredOut':
      return { ...NONE, onHand: -event.data.quantity, value: -event.data.value.amountMinor };
    case 'StockInTransit':
      return { ...NONE, incoming: event.data.quantity, incomingValue: event.data.value.amountMinor };
    case 'StockTransferredIn':
      return {
        ...NONE,
        onHand: event.data.quantity,
        value: event.data.value.amountMinor,
        incoming: -event.data.quantity,
        incomingValue: -event.data.value.amountMinor,
      };
    case 'StockAdjusted':
      return { ...NONE, onHand: event.data.quantityChange, value: event.data.value.amountMinor };
    case 'ReorderPolicySet':
      return NONE;
  }
};

const currencyOf = (event: StockEvent): string | undefined => {
  const d = event.data as { value?: { currency: string } };
  return d.value?.currency;
};

const withLine = (state: StockState, orderId: string, lineNo: number, change: (line: OrderLineStock) => OrderLineStock, create?: OrderLineStock) => {
  const key = lineKey(orderId, lineNo);
  const current = state.lines.get(key) ?? create;
  if (!current) return state.lines;
  const next = change(current);
  const lines = new Map(state.lines);
  if (next.reserved === 0 && next.backordered === 0) lines.delete(key);
  else lines.set(key, next);
  return lines;
};

const applyTotals = (state: StockState, event: StockEvent): StockState => {
  const e = stockEffect(event);
  return {
    ...state,
    currency: state.currency ?? currencyOf(event) ?? null,
    onHand: state.onHand + e.onHand,
    reserved: state.reserved + e.reserved,
    backordered: state.backordered + e.backordered,
    incoming: state.incoming + e.incoming,
    value: state.value + e.value,
    incomingValue: state.incomingValue + e.incomingValue,
  };
};

/** The line an order's first reservation or backorder opens in this stream. */
const newLine = (d: { orderId: string; lineNo: number; partnerId: string; placedAt: string; region?: string | undefined }) => ({
  orderId: d.orderId,
  lineNo: d.lineNo,
  partnerId: d.partnerId,
  placedAt: d.placedAt,
  ...(d.region ? { region: d.region } : {}),
  reserved: 0,
  backordered: 0,
  shipmentIds: new Set<string>(),
});

export const evolveStock = (state: StockState, event: StockEvent): StockState => {
  const s = applyTotals(state, event);
  switch (event.type) {
    case 'StockReceived':
      return { ...s, receiptIds: new Set(s.receiptIds).add(event.data.receiptId) };
    case 'StockReserved': {
      const d = event.data;
      return {
        ...s,
        lines: withLine(
          s,
          d.orderId,
          d.lineNo,
          (l) => ({
            ...l,
            ...(d.region ? { region: d.region } : {}),
            reserved: l.reserved + d.quantity,
            backordered: d.fromBackorder ? l.backordered - d.quantity : l.backordered,
          }),
          newLine(d),
        ),
      };
    }
    case 'StockBackordered': {
      const d = event.data;
      return {
        ...s,
        lines: withLine(
          s,
          d.orderId,
          d.lineNo,
          (l) => ({ ...l, ...(d.region ? { region: d.region } : {}), backordered: l.backordered + d.quantity }),
          newLine(d),
        ),
      };
    }
    case 'StockReservationReleased':
      return { ...s, lines: withLine(s, event.data.orderId, event.data.lineNo, (l) => ({ ...l, reserved: l.reserved - event.data.quantity })) };
    case 'StockBackorderCancelled':
    case 'StockBackorderWithdrawn':
      return { ...s, lines: withLine(s, event.data.orderId, event.data.lineNo, (l) => ({ ...l, backordered: l.backordered - event.data.quantity })) };
    case 'StockShipped': {
      const d = event.data;
      return {
        ...s,
        lines: withLine(s, d.orderId, d.lineNo, (l) => ({ ...l, reserved: l.reserved - d.quantity, shipmentIds: new Set(l.shipmentIds).add(d.shipmentId) })),
        shipmentsOut: new Map(s.shipmentsOut).set(shipmentKey(d.orderId, d.lineNo, d.shipmentId), {
          quantity: d.quantity,
          value: d.value.amountMinor,
          returned: 0,
        }),
      };
    }
    case 'StockReturned': {
      const d = event.data;
      const key = shipmentKey(d.orderId, d.lineNo, d.shipmentId);
      const out = s.shipmentsOut.get(key);
      return {
        ...s,
        shipmentsOut: out ? new Map(s.shipmentsOut).set(key, { ...out, returned: out.returned + d.quantity }) : s.shipmentsOut,
        returnKeys: new Set(s.returnKeys).add(returnKey(d.orderId, d.lineNo, d.shipmentId, d.returnId)),
      };
    }
    case 'StockTransferredOut':
      return { ...s, transferOutIds: new Set(s.transferOutIds).add(event.data.transferId) };
    case 'StockInTransit': {
      const d = event.data;
      return {
        ...s,
        transfersIn: new Map(s.transfersIn).set(d.transferId, {
          fromWarehouseId: d.fromWarehouseId,
          quantity: d.quantity,
          value: d.value.amountMinor,
          received: 0,
        }),
      };
    }
    case 'StockTransferredIn': {
      const t = s.transfersIn.get(event.data.transferId);
      if (!t) return s;
      return { ...s, transfersIn: new Map(s.transfersIn).set(event.data.transferId, { ...t, received: t.received + event.data.quantity }) };
    }
    case 'StockAdjusted':
      return { ...s, adjustmentIds: new Set(s.adjustmentIds).add(event.data.adjustmentId) };
    case 'ReorderPolicySet': {
      const { min, max, packMultiple, leadTimeDays } = event.data;
      return { ...s, policy: { min, max, packMultiple, leadTimeDays } };
    }
  }
};
