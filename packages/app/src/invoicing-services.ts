import { aggregates, governingAgreement, InvoiceOrderByTerms, invoicingBasis, orderStream } from '@dms/domain';
import { invalidCommand, loadAggregate } from '@dms/eventstore';
import { left } from 'fp-ts/Either';
import { dealerAgreements, productCategories } from './agreement-services';
import type { ApplicationService } from './service';

/**
 * Invoicing by the agreement's payment terms (docs/receivables.md): the order's governing agreement (the version in force
 * when it was placed, covering its region and categories) gives the due dates, the early-payment discount or the
 * instalments; the order's own stream decides the invoice.
 */
const invoiceOrderByTerms: ApplicationService = async (command, context, bus) => {
  const parsed = InvoiceOrderByTerms.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, invoiceId, invoicedAt } = parsed.data.data;
  const order = (await loadAggregate(bus.store, aggregates.orders, orderStream(orderId))).state;
  if (!order.exists) return left({ code: 'ORDER_NOT_FOUND', message: `Order ${orderId} does not exist.`, details: { orderId } });
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
      message: `No agreement governs order ${orderId} (${coverage.message}); give the invoice's due date.`,
      details: { orderId, reason: coverage.code },
    });
  const terms = coverage.version.terms.paymentTerms;
  const basis = invoicingBasis(terms);
  if (basis !== 'perOrder')
    return left({
      code: 'INVOICED_PER_SHIPMENT',
      message: `Agreement ${coverage.agreement.agreementId} invoices ${basis === 'perShipment' ? 'each shipment' : 'each delivery'}, not the whole order.`,
      details: { orderId, agreementId: coverage.agreement.agreementId, invoicing: basis },
    });
  return bus.execute({ type: 'InvoiceOrder', data: { orderId, invoiceId, invoicedAt, paymentTerms: terms } }, context);
};

export const invoicingServices: ReadonlyMap<string, ApplicationService> = new Map<string, ApplicationService>([['InvoiceOrderByTerms', invoiceOrderByTerms]]);
