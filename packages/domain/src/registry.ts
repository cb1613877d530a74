import type { z } from 'zod';
import { ApiKeyCommand, ApiKeyEvent, apiKeyDecider, apiKeyStream } from './access/api-keys';
import { PriceListCommand, PriceListEvent, ProductCommand, ProductEvent, priceListDecider, priceListStream, productDecider, productStream } from './catalogue';
import { OrderCommand, OrderEvent, orderDecider, orderStream } from './orders';
import { PartnerCommand, PartnerEvent, partnerDecider, partnerStream } from './partners';
import type { Decider, Message } from './shared/decider';

/**
 * Everything needed to run a command against an aggregate: how to validate it, which stream it targets, and the decider.
 * The event store's command handler is generic over this.
 */
export interface Aggregate<C extends Message, E extends Message, S> {
  readonly name: string;
  readonly commandSchema: z.ZodType<C>;
  readonly eventSchema: z.ZodType<E>;
  readonly streamOf: (command: C) => string;
  readonly decider: Decider<C, E, S>;
}

const aggregate = <C extends Message, E extends Message, S>(a: Aggregate<C, E, S>): Aggregate<C, E, S> => a;

export const partners = aggregate({
  name: 'partner',
  commandSchema: PartnerCommand as z.ZodType<PartnerCommand>,
  eventSchema: PartnerEvent,
  streamOf: (c: PartnerCommand) => partnerStream(c.data.partnerId),
  decider: partnerDecider,
});

export const products = aggregate({
  name: 'product',
  commandSchema: ProductCommand as z.ZodType<ProductCommand>,
  eventSchema: ProductEvent,
  streamOf: (c: ProductCommand) => productStream(c.data.sku),
  decider: productDecider,
});

export const priceLists = aggregate({
  name: 'pricelist',
  commandSchema: PriceListCommand as z.ZodType<PriceListCommand>,
  eventSchema: PriceListEvent,
  streamOf: (c: PriceListCommand) => priceListStream(c.data.tier),
  decider: priceListDecider,
});

export const orders = aggregate({
  name: 'order',
  commandSchema: OrderCommand as z.ZodType<OrderCommand>,
  eventSchema: OrderEvent,
  streamOf: (c: OrderCommand) => orderStream(c.data.orderId),
  decider: orderDecider,
});

export const apiKeys = aggregate({
  name: 'apikey',
  commandSchema: ApiKeyCommand as z.ZodType<ApiKeyCommand>,
  eventSchema: ApiKeyEvent,
  streamOf: (c: ApiKeyCommand) => apiKeyStream(c.data.keyId),
  decider: apiKeyDecider,
});

/** Every event type DMS records, with its schema: the event catalogue. */
export const eventSchemas: ReadonlyMap<string, z.ZodType> = new Map(
  [PartnerEvent, ProductEvent, PriceListEvent, OrderEvent, ApiKeyEvent].flatMap((union) =>
    union.options.map((option) => [option.shape.type.value, option] as const),
  ),
);

export type DmsEvent = PartnerEvent | ProductEvent | PriceListEvent | OrderEvent | ApiKeyEvent;
