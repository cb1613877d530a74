import { CommandBus } from '@dms/app';
import { type Actor, aggregates, type Message, orderStream } from '@dms/domain';
import { type Database, type EventStore, loadAggregate } from '@dms/eventstore';
import { allProjections, allReactors, ProjectionRunner } from '../../src';
import { agreementInForce, contexts, dealerTerms, ok } from './commands';

export const admin: Actor = { id: 'anna', role: 'admin' };
export const acmeBuyer: Actor = { id: 'acme.buyer', role: 'dealer', partnerId: 'acme' };
export const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

/** Acme's agreement for the dealer payment tests: 2/10 net 30, invoiced per shipment. */
export const acmeTerms = dealerTerms('acme', { paymentTerms: { netDays: 30, earlyPayment: { days: 10, discountBps: 200 }, invoicing: 'perShipment' } });

/**
 * The dealer tests' world (payments, shipment invoices), on any store with its read models in `database`: the pump, the dealer Acme with its
 * agreement in force, and its orders as the tests build them (`place`, `ship`), with every projection and policy run by
 * `settle` until nothing more is written. `prefix` names the command ids (`<prefix>-1`, …).
 */
export const dealerWorld = async (store: EventStore, database: Database, prefix: string) => {
  const ctx = contexts(prefix, admin);
  const bus = new CommandBus(store);
  const runner = await ProjectionRunner.create(database.db, store, [...allProjections, ...allReactors(bus)]);
  const run = async (command: Message) => ok(await bus.execute(command, ctx()));
  const settle = async () => {
    for (let head = await store.headPosition(); ; ) {
      await runner.catchUp();
      const after = await store.headPosition();
      if (after === head) return;
      head = after;
    }
  };
  /** Acme's buyer places `quantity` pumps; the manufacturer confirms the order at `confirmedAt` (default: when placed). */
  const place = async (orderId: string, quantity: number, placedAt: string, confirmedAt = placedAt) => {
    ok(await bus.placeOrder({ orderId, partnerId: 'acme', lines: [{ sku: 'PUMP', quantity }], placedAt }, ctx(acmeBuyer)));
    await settle();
    await run({ type: 'ConfirmOrder', data: { orderId, confirmedAt } });
  };
  const ship = async (orderId: string, shipmentId: string, quantity: number, shippedAt: string) => {
    await run({ type: 'ShipOrder', data: { orderId, shipmentId, lines: [{ lineNo: 1, quantity }], shippedAt } });
    await settle();
  };
  const payment = (paymentId: string, amountMinor: number, receivedAt: string, invoices?: { invoiceId: string; amount?: ReturnType<typeof eur> }[]) => ({
    type: 'ReceiveDealerPayment',
    data: { partnerId: 'acme', paymentId, amount: eur(amountMinor), receivedAt, reference: `BANK-${paymentId}`, ...(invoices ? { invoices } : {}) },
  });
  const pay = (...args: Parameters<typeof payment>) => bus.execute(payment(...args), ctx());
  const paymentsOn = async (orderId: string) =>
    (await loadAggregate(store, aggregates.orders, orderStream(orderId))).events.filter((e) => e.type === 'PaymentRecorded').map((e) => e.data);

  await run({
    type: 'RegisterProduct',
    data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00), registeredAt: '2026-01-01T00:00:00Z' },
  });
  await run({
    type: 'OnboardPartner',
    data: {
      partnerId: 'acme',
      name: 'Acme Ltd',
      region: 'north',
      tier: 'gold',
      creditLimit: eur(10_000_00),
      contacts: [],
      onboardedAt: '2026-01-01T00:00:00Z',
    },
  });
  for (const command of agreementInForce(
    { agreementId: 'agr-acme', partnerId: 'acme', title: 'Pumps', terms: acmeTerms, effectiveFrom: '2026-01-01', expiresOn: '2026-12-31' },
    '2025-12-01T00:00:00Z',
    '2026-01-01T00:00:00Z',
  ))
    await run(command);
  return { bus, runner, ctx, run, settle, place, ship, payment, pay, paymentsOn };
};
