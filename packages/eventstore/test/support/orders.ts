import { randomUUID } from 'node:crypto';
import { type Actor, fold, type OrderCommand, type OrderEvent, orderDecider } from '@dms/domain';
import type { EventStore } from '../../src/port';

/**
 * Records an order's life in a store as the command path would: each command decided by the domain's order decider on
 * the events so far, appended to `order-<id>` by `actor`. Returns the events; `afterEach` runs after each command's append
 * (to move a test clock on, for example).
 */
export const recordOrder = async (
  store: EventStore,
  orderId: string,
  commands: readonly OrderCommand[],
  actor: Actor,
  afterEach: () => void = () => {},
): Promise<OrderEvent[]> => {
  const events: OrderEvent[] = [];
  for (const command of commands) {
    const decided = orderDecider.decide(command, fold(orderDecider, events));
    if (decided._tag === 'Left') throw new Error(`${command.type}: ${decided.left.message}`);
    await store.appendToStream(
      `order-${orderId}`,
      decided.right.map((e) => ({
        eventId: randomUUID(),
        type: e.type,
        data: e.data,
        metadata: { correlationId: randomUUID(), actor, schemaVersion: 1 },
      })),
    );
    events.push(...decided.right);
    afterEach();
  }
  return events;
};

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

/**
 * An order's whole life, as the auditor's tests record it: two lines (3 x 12.34 less 10 %, 2 x 5.00) placed, approved and
 * confirmed; shipped apart (two shipments, each delivered) or together (one shipment, delivered); invoiced; and paid in
 * `payments` (amounts in cents, one of 20.00 by default). Every command at `at`.
 */
export const orderLife = (
  orderId: string,
  {
    at,
    dueDate,
    partnerId = 'acme',
    invoiceId = 'inv-1',
    payments = [{ paymentId: 'p1', amountMinor: 20_00 }],
    shipments = 'apart',
  }: {
    at: string;
    dueDate: string;
    partnerId?: string;
    invoiceId?: string;
    payments?: readonly { paymentId: string; amountMinor: number }[];
    shipments?: 'apart' | 'together';
  },
): OrderCommand[] => {
  const shipped: OrderCommand[] =
    shipments === 'apart'
      ? [
          { type: 'ShipOrder', data: { orderId, shipmentId: 's1', lines: [{ lineNo: 1, quantity: 3 }], shippedAt: at } },
          { type: 'ShipOrder', data: { orderId, shipmentId: 's2', lines: [{ lineNo: 2, quantity: 2 }], shippedAt: at } },
          { type: 'DeliverShipment', data: { orderId, shipmentId: 's1', deliveredAt: at } },
          { type: 'DeliverShipment', data: { orderId, shipmentId: 's2', deliveredAt: at } },
        ]
      : [
          {
            type: 'ShipOrder',
            data: {
              orderId,
              shipmentId: 's1',
              lines: [
                { lineNo: 1, quantity: 3 },
                { lineNo: 2, quantity: 2 },
              ],
              shippedAt: at,
            },
          },
          { type: 'DeliverShipment', data: { orderId, shipmentId: 's1', deliveredAt: at } },
        ];
  return [
    {
      type: 'PlaceOrder',
      data: {
        orderId,
        partnerId,
        region: 'north',
        tier: 'gold',
        currency: 'EUR',
        lines: [
          { lineNo: 1, sku: 'pump-a', quantity: 3, unitPrice: eur(12_34), discountBps: 1_000 },
          { lineNo: 2, sku: 'valve-b', quantity: 2, unitPrice: eur(5_00), discountBps: 0 },
        ],
        placedAt: at,
      },
    },
    { type: 'ApproveOrder', data: { orderId, approvedAt: at } },
    { type: 'ConfirmOrder', data: { orderId, confirmedAt: at } },
    ...shipped,
    { type: 'InvoiceOrder', data: { orderId, invoiceId, invoicedAt: at, dueDate } },
    ...payments.map(
      ({ paymentId, amountMinor }): OrderCommand => ({
        type: 'RecordPayment',
        data: { orderId, paymentId, amount: eur(amountMinor), paidAt: at, method: 'bank_transfer' },
      }),
    ),
  ];
};
