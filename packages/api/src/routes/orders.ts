import {
  aggregates,
  Id,
  IsoDate,
  LinePromotion,
  LineQuantity,
  LineTaxBasis,
  NonEmptyText,
  ORDER_STATUSES,
  orderStream,
  PositiveMoney,
  PriceSource,
  Quantity,
  RegionId,
  Sku,
  Text,
} from '@dms/domain';
import { loadAggregate, streamHistory } from '@dms/eventstore';
import { getOrderWithReview, listOrders, readModelsOf } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Permission } from '../auth/permissions';
import { type ApiOptions, accepted, awaitPosition, cached, commandContext, generatedId, orRefuse, partnerScope, reply201 } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, Cursor, History, Limit, Money, Page, ReadConsistency } from '../schemas';
import { compiledSerializer } from '../serializer';

const OrderSummary = z
  .object({
    orderId: z.string(),
    partnerId: z.string(),
    partnerName: z.string().nullable(),
    region: z.string(),
    status: z.string().describe(`One of ${ORDER_STATUSES.join(', ')}`),
    statusReason: z.string().nullable(),
    total: Money,
    outstanding: Money,
    lineCount: z.number().int(),
    orderedQty: z.number().int(),
    shippedQty: z.number().int(),
    deliveredQty: z.number().int(),
    returnedQty: z.number().int(),
    placedAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'OrderSummary' });

const Invoice = z
  .object({
    invoiceId: z.string(),
    amount: Money.describe('Gross: what the dealer owes'),
    tax: Money.describe('The tax part of amount'),
    invoicedAt: z.string(),
    dueDate: z.string(),
  })
  .meta({ id: 'OrderInvoice' });

const OrderDetail = OrderSummary.extend({
  tier: z.string(),
  lifecycle: z.string(),
  customerReference: z.string().nullable(),
  requestedDeliveryDate: z.string().nullable(),
  invoice: Invoice.nullable().describe("The whole order's invoice; null until invoiced, and on an order invoiced per shipment (see shipments[].invoice)"),
  tax: Money.describe('The order tax (docs/tax.md); 0 on untaxed orders'),
  gross: Money.describe('total (net) plus tax: what the invoice charges'),
  credited: Money.describe('Credit notes, gross'),
  creditedTax: Money.describe('The tax part of credited'),
  paid: Money,
  dates: z.record(z.string(), z.string().nullable()),
  lines: z.array(
    z.object({
      lineNo: z.number().int(),
      sku: z.string(),
      quantity: z.number().int(),
      unitPrice: Money,
      discountBps: z.number().int(),
      netAmount: Money,
      shipped: z.number().int(),
      delivered: z.number().int(),
      returned: z.number().int(),
      credited: Money,
      priceSource: PriceSource.nullable().describe('Where the unit price came from (docs/pricing.md); null on orders placed before it was recorded'),
      promotions: z.array(LinePromotion).describe('The promotions applied to the line with their discounts (docs/pricing.md); netAmount is after them'),
      tax: LineTaxBasis.extend({ amount: Money, gross: Money })
        .nullable()
        .describe('The line tax as placed: category, rate (bps), whether prices included it, tax amount and gross (docs/tax.md); null on untaxed lines'),
      creditedTax: Money.describe('Tax credited on the line by returns'),
    }),
  ),
  shipments: z.array(
    z.object({
      shipmentId: z.string(),
      warehouseId: z.string().nullable(),
      carrier: z.string().nullable(),
      trackingNumber: z.string().nullable(),
      quantity: z.number().int(),
      lines: z.unknown(),
      shippedAt: z.string(),
      deliveredAt: z.string().nullable(),
      invoice: Invoice.nullable().describe('The shipment’s own invoice on an order invoiced per shipment or per delivery (docs/receivables.md)'),
    }),
  ),
  version: z.number().int(),
  review: z
    .object({
      status: z.enum(['pending', 'queued', 'approved', 'rejected', 'cancelled']),
      automatic: z.boolean().describe('True when automated review approved the order'),
      reasons: z.array(z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })),
      queuedAt: z.string().nullable(),
      decidedAt: z.string().nullable(),
      note: z.string().nullable(),
    })
    .nullable()
    .describe('The review: approved automatically, or queued for a person with every reason, and the decision; null before it ran'),
}).meta({ id: 'Order' });

const Params = z.object({ orderId: Id });
const errors = { 400: Problem, 404: Problem, 409: Problem };
const Lines = z
  .array(LineQuantity)
  .min(1)
  .max(200)
  .refine((lines) => new Set(lines.map((l) => l.lineNo)).size === lines.length, 'each line may appear only once');

export const orderRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries, store } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();
    const notFound = (orderId: string) => new HttpProblem(problem(404, 'ORDER_NOT_FOUND', `Order ${orderId} does not exist.`));
    /** A dealer acts only on its own orders; anyone else's answer as if they did not exist. Checked on the stream itself. */
    const requireOwnOrder = async (scope: string | undefined, orderId: string) => {
      if (scope === undefined) return;
      const { state } = await loadAggregate(store, aggregates.orders, orderStream(orderId));
      if (!state.exists || state.partnerId !== scope) throw notFound(orderId);
    };

    app.post(
      '/orders',
      {
        config: { permission: 'orders:place' },
        schema: {
          tags: ['orders'],
          summary: "Place a dealer order, priced at the partner's tier prices",
          description: 'Prices are snapshotted on the order. Send an Idempotency-Key header to make retries safe.',
          body: z.strictObject({
            orderId: Id.optional().describe('Chosen by the client, or generated'),
            partnerId: Id,
            lines: z
              .array(z.strictObject({ sku: Sku, quantity: Quantity }))
              .min(1)
              .max(200),
            requestedDeliveryDate: IsoDate.optional(),
            customerReference: Text(80).optional(),
          }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const scope = partnerScope(request);
        if (scope !== undefined && scope !== request.body.partnerId) {
          throw new HttpProblem(problem(404, 'PARTNER_NOT_FOUND', `Partner ${request.body.partnerId} does not exist.`));
        }
        const orderId = request.body.orderId ?? generatedId(request, 'o-');
        const result = orRefuse(await bus.placeOrder({ ...request.body, orderId, placedAt: now() }, commandContext(request)));
        return reply201(reply, `/orders/${orderId}`, result);
      },
    );

    const step = <B extends z.ZodType>(
      path: string,
      summary: string,
      permission: Permission,
      body: B,
      toCommand: (
        orderId: string,
        body: z.infer<B>,
        at: string,
        params: Record<string, string>,
        id: (prefix: string) => string,
      ) => Parameters<typeof bus.execute>[0],
      params: z.ZodObject = Params,
    ) =>
      app.post(
        `/orders/:orderId${path}`,
        { config: { permission }, schema: { tags: ['orders'], summary, params, body, response: { 200: CommandAccepted, ...errors } } },
        async (request) => {
          const p = request.params as Record<string, string> & { orderId: string };
          await requireOwnOrder(partnerScope(request), p.orderId);
          return accepted(
            orRefuse(
              await bus.execute(
                toCommand(p.orderId, request.body as z.infer<B>, now(), p, (prefix) => generatedId(request, prefix)),
                commandContext(request),
              ),
            ),
          );
        },
      );

    const Reason = z.strictObject({ reason: NonEmptyText(500) });
    step('/approve', 'Approve an order placed for review', 'orders:write', z.strictObject({ note: Text(500).optional() }), (orderId, b, at) => ({
      type: 'ApproveOrder',
      data: { orderId, approvedAt: at, ...(b.note ? { note: b.note } : {}) },
    }));
    step('/reject', 'Reject an order placed for review', 'orders:write', Reason, (orderId, b, at) => ({
      type: 'RejectOrder',
      data: { orderId, reason: b.reason, rejectedAt: at },
    }));
    step('/confirm', 'Confirm an approved order', 'orders:write', z.strictObject({}), (orderId, _b, at) => ({
      type: 'ConfirmOrder',
      data: { orderId, confirmedAt: at },
    }));
    step('/cancel', 'Cancel an order before anything ships', 'orders:place', Reason, (orderId, b, at) => ({
      type: 'CancelOrder',
      data: { orderId, reason: b.reason, cancelledAt: at },
    }));
    step(
      '/shipments',
      'Ship some or all of a confirmed order',
      'orders:write',
      z.strictObject({
        shipmentId: Id.optional(),
        lines: Lines,
        warehouseId: Id.optional(),
        carrier: Text(80).optional(),
        trackingNumber: Text(80).optional(),
      }),
      (orderId, b, at, _params, id) => ({ type: 'ShipOrder', data: { ...b, orderId, shipmentId: b.shipmentId ?? id('s-'), shippedAt: at } }),
    );
    step(
      '/shipments/:shipmentId/deliver',
      'Record that a shipment was delivered',
      'orders:write',
      z.strictObject({ receivedBy: Text(120).optional() }),
      (orderId, b, at, params) => ({
        type: 'DeliverShipment',
        data: { orderId, shipmentId: params.shipmentId ?? '', deliveredAt: at, ...(b.receivedBy ? { receivedBy: b.receivedBy } : {}) },
      }),
      Params.extend({ shipmentId: Id }),
    );
    step(
      '/invoice',
      'Invoice a fully delivered order: on the due date given, or (without one) on the payment terms of the agreement governing the order',
      'billing:write',
      z.strictObject({ invoiceId: Id.optional(), dueDate: IsoDate.optional() }),
      (orderId, b, at, _params, id) =>
        b.dueDate
          ? { type: 'InvoiceOrder', data: { orderId, invoiceId: b.invoiceId ?? id('inv-'), invoicedAt: at, dueDate: b.dueDate } }
          : { type: 'InvoiceOrderByTerms', data: { orderId, invoiceId: b.invoiceId ?? id('inv-'), invoicedAt: at } },
    );
    step(
      '/shipments/:shipmentId/invoice',
      'Invoice one shipment on the payment terms of the agreement governing the order, when it invoices per shipment (the shipment has left) or per delivery (it is delivered). Shipments are invoiced so automatically; this is for one that was not',
      'billing:write',
      z.strictObject({ invoiceId: Id.optional() }),
      (orderId, b, at, params, id) => ({
        type: 'InvoiceShipmentByTerms',
        data: { orderId, shipmentId: params.shipmentId ?? '', invoiceId: b.invoiceId ?? id('inv-'), invoicedAt: at },
      }),
      Params.extend({ shipmentId: Id }),
    );
    step(
      '/payments',
      'Record a payment against the order: the invoice named, else its invoices oldest due first (an early-payment discount is allowed when it settles an invoice in time)',
      'billing:write',
      z.strictObject({
        paymentId: Id.optional(),
        amount: PositiveMoney,
        method: z.enum(['bank_transfer', 'card', 'cheque', 'cash', 'offset']).optional(),
        reference: Text(80).optional(),
        invoiceId: Id.optional(),
      }),
      (orderId, b, at, _params, id) => ({
        type: 'RecordPayment',
        data: {
          orderId,
          paymentId: b.paymentId ?? id('pay-'),
          amount: b.amount,
          method: b.method ?? 'bank_transfer',
          paidAt: at,
          ...(b.reference ? { reference: b.reference } : {}),
          ...(b.invoiceId ? { invoiceId: b.invoiceId } : {}),
        },
      }),
    );
    step(
      '/returns',
      'Return delivered goods; issues a credit note, and puts resaleable goods back into stock where they shipped from',
      'orders:write',
      z.strictObject({
        returnId: Id.optional(),
        creditNoteId: Id.optional(),
        lines: Lines,
        reason: NonEmptyText(500),
        restock: z.boolean().optional().describe('false when the goods cannot be sold again (damaged): credited, not restocked. Default true'),
      }),
      (orderId, b, at, _params, id) => ({
        type: 'ReturnGoods',
        data: {
          orderId,
          returnId: b.returnId ?? id('ret-'),
          creditNoteId: b.creditNoteId ?? id('cn-'),
          lines: b.lines,
          reason: b.reason,
          ...(b.restock === undefined ? {} : { restock: b.restock }),
          returnedAt: at,
        },
      }),
    );

    app.get(
      '/orders',
      {
        config: { permission: 'orders:read' },
        serializerCompiler: compiledSerializer,
        schema: {
          tags: ['orders'],
          summary: 'List orders, newest first',
          querystring: ReadConsistency.extend({
            status: z.enum(ORDER_STATUSES as [string, ...string[]]).optional(),
            partnerId: Id.optional(),
            region: RegionId.optional(),
            placedFrom: z.union([IsoDate, z.iso.datetime({ offset: true })]).optional(),
            placedTo: z.union([IsoDate, z.iso.datetime({ offset: true })]).optional(),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(OrderSummary), 400: Problem, 503: Problem },
        },
      },
      async (request, reply) => {
        const readModels = readModelsOf('orders');
        await awaitPosition(options, request.query.minPosition, readModels);
        const scope = partnerScope(request);
        return cached(options, request, reply, readModels, () =>
          listOrders(queries.db, { ...request.query, ...(scope !== undefined ? { partnerId: scope } : {}) }),
        );
      },
    );

    app.get(
      '/orders/:orderId',
      {
        config: { permission: 'orders:read' },
        serializerCompiler: compiledSerializer,
        schema: {
          tags: ['orders'],
          summary: 'One order with its lines and shipments',
          params: Params,
          querystring: ReadConsistency,
          response: { 200: OrderDetail, 404: Problem, 503: Problem },
        },
      },
      async (request, reply) => {
        const readModels = readModelsOf('orders', 'order-reviews');
        await awaitPosition(options, request.query.minPosition, readModels);
        const scope = partnerScope(request);
        return cached(options, request, reply, readModels, async () => {
          const order = await getOrderWithReview(queries.db, request.params.orderId, { partnerId: scope });
          if (!order) throw notFound(request.params.orderId);
          return order;
        });
      },
    );

    app.get(
      '/orders/:orderId/history',
      {
        config: { permission: 'orders:read' },
        schema: {
          tags: ['orders', 'audit'],
          summary: 'Every event of an order: who, when, why, with the hash chain verified',
          params: Params,
          response: { 200: History, 404: Problem },
        },
      },
      async (request) => {
        const history = await streamHistory(store, orderStream(request.params.orderId));
        const scope = partnerScope(request);
        const owner = (history.entries[0]?.data as { partnerId?: string } | undefined)?.partnerId;
        if (history.entries.length === 0 || (scope !== undefined && owner !== scope)) throw notFound(request.params.orderId);
        return { streamId: history.streamId, verified: history.verification.ok, problems: [...history.verification.problems], entries: [...history.entries] };
      },
    );
  };
