import {
  aggregates,
  type DomainError,
  governingAgreement,
  InvoiceOrderByTerms,
  InvoiceShipmentByTerms,
  invoicingBasis,
  type OrderState,
  orderStream,
  type PaymentTerms,
} from '@dms/domain';
import { invalidCommand, loadAggregate } from '@dms/eventstore';
import { type Either, left, right } from 'fp-ts/Either';
import { dealerAgreements, productCategories } from './agreement-services';
import type { ApplicationService, ServiceBus } from './service';

/**
 * Invoicing by the agreement's payment terms (docs/receivables.md): the order's governing agreement (the version in force
 * when it was placed, covering its region and categories) gives the due dates, the early-payment discount or the
 * instalments; the order's own stream decides the invoice.
 */

type ExistingOrder = Extract<OrderState, { exists: true }>;
interface Governing {
  readonly agreementId: string;
  readonly terms: PaymentTerms;
}

const loadOrder = async (bus: ServiceBus, orderId: string) => {
  const loaded = await loadAggregate(bus.store, aggregates.orders, orderStream(orderId));
  return { ...loaded, order: loaded.state.exists ? loaded.state : undefined };
};

const orderNotFound = (orderId: string): DomainError => ({ code: 'ORDER_NOT_FOUND', message: `Order ${orderId} does not exist.`, details: { orderId } });

/** The payment terms of the agreement governing `order`, or the refusal that no agreement governs it. */
const governingTerms = async (bus: ServiceBus, order: ExistingOrder): Promise<Either<DomainError, Governing>> => {
  const coverage = governingAgreement(await dealerAgreements(bus.store, order.partnerId), {
    partnerId: order.partnerId,
    at: order.placedAt,
    region: order.region,
    categories: [
      ...(
        await productCategories(
          bus.store,
          order.lines.map((l) => l.sku),
        )
      ).values(),
    ],
  });
  if (!coverage.covered)
    return left({
      code: 'NO_PAYMENT_TERMS',
      message: `No agreement governs order ${order.orderId} (${coverage.message}); give the invoice's due date.`,
      details: { orderId: order.orderId, reason: coverage.code },
    });
  return right({ agreementId: coverage.agreement.agreementId, terms: coverage.version.terms.paymentTerms });
};

const invoiceOrderByTerms: ApplicationService = async (command, context, bus) => {
  const parsed = InvoiceOrderByTerms.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, invoiceId, invoicedAt } = parsed.data.data;
  const { order } = await loadOrder(bus, orderId);
  if (!order) return left(orderNotFound(orderId));
  const governing = await governingTerms(bus, order);
  if (governing._tag === 'Left') return governing;
  const { agreementId, terms } = governing.right;
  const basis = invoicingBasis(terms);
  if (basis !== 'perOrder')
    return left({
      code: 'INVOICED_PER_SHIPMENT',
      message: `Agreement ${agreementId} invoices ${basis === 'perShipment' ? 'each shipment' : 'each delivery'}, not the whole order.`,
      details: { orderId, agreementId, invoicing: basis },
    });
  return bus.execute({ type: 'InvoiceOrder', data: { orderId, invoiceId, invoicedAt, paymentTerms: terms } }, context);
};

/**
 * One shipment, invoiced on the terms of the agreement governing its order. By hand (no `on`): refused when no agreement
 * governs the order or it invoices the whole order; the order's stream refuses a shipment not delivered under
 * `perDelivery`, or invoiced already. From the invoicing policy (`on`): what the terms do not invoice at that moment is
 * left alone, accepted with no event.
 */
const invoiceShipmentByTerms: ApplicationService = async (command, context, bus) => {
  const parsed = InvoiceShipmentByTerms.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, shipmentId, invoiceId, invoicedAt, on } = parsed.data.data;
  const loaded = await loadOrder(bus, orderId);
  const { order } = loaded;
  if (!order) return left(orderNotFound(orderId));
  const nothingToDo = () =>
    right({ streamId: orderStream(orderId), streamVersion: loaded.version, position: loaded.events.at(-1)?.globalPosition ?? 0n, events: [], replayed: false });
  if (on && (order.invoice || order.shipments.get(shipmentId)?.invoiceId)) return nothingToDo();
  const governing = await governingTerms(bus, order);
  if (governing._tag === 'Left') return on ? nothingToDo() : governing;
  const { agreementId, terms } = governing.right;
  const basis = invoicingBasis(terms);
  if (basis === 'perOrder')
    return on
      ? nothingToDo()
      : left({
          code: 'INVOICED_PER_ORDER',
          message: `Agreement ${agreementId} invoices the whole order once it is delivered, not each shipment: invoice order ${orderId} instead.`,
          details: { orderId, shipmentId, agreementId, invoicing: basis },
        });
  if (on && basis !== (on === 'shipped' ? 'perShipment' : 'perDelivery')) return nothingToDo();
  return bus.execute({ type: 'InvoiceShipment', data: { orderId, shipmentId, invoiceId, basis, invoicedAt, paymentTerms: terms } }, context);
};

export const invoicingServices: ReadonlyMap<string, ApplicationService> = new Map<string, ApplicationService>([
  ['InvoiceOrderByTerms', invoiceOrderByTerms],
  ['InvoiceShipmentByTerms', invoiceShipmentByTerms],
]);
