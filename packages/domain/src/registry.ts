import type { z } from 'zod';
import { ApiKeyCommand, ApiKeyEvent, apiKeyDecider, apiKeyStream } from './access/api-keys';
import { EMAIL_REGISTRY_STREAM, EmailRegistryCommand, EmailRegistryEvent, emailRegistryDecider } from './access/email-registry';
import { SessionCommand, SessionEvent, sessionDecider, sessionStream } from './access/sessions';
import { UserCommand, UserEvent, userDecider, userStream } from './access/users';
import {
  AgreementCommand,
  AgreementEvent,
  agreementDecider,
  agreementStream,
  ScopeRegistryCommand,
  ScopeRegistryEvent,
  scopeRegistryDecider,
  scopeRegistryStream,
  TERRITORY_REGISTRY_STREAM,
  TerritoryRegistryCommand,
  TerritoryRegistryEvent,
  territoryRegistryDecider,
} from './agreements';
import {
  DealerPriceListCommand,
  DealerPriceListEvent,
  dealerPriceListDecider,
  dealerPriceListStream,
  PriceListCommand,
  PriceListEvent,
  ProductCommand,
  ProductEvent,
  priceListDecider,
  priceListStream,
  productDecider,
  productStream,
} from './catalogue';
import { CommissionCommand, CommissionEvent, commissionDecider, commissionStream } from './commissions';
import { CreditCommand, CreditEvent, creditDecider, creditSnapshotCodec, creditStream } from './credit';
import { DealerAccountCommand, DealerAccountEvent, dealerAccountDecider, dealerAccountStream } from './dealer-accounts';
import { EvaluationCommand, EvaluationEvent, evaluationDecider, evaluationStream } from './evaluations';
import { BackorderIndexCommand, BackorderIndexEvent, backorderIndexDecider, backorderIndexStream } from './fulfilment/backorder-index';
import { NotificationCommand, NotificationEvent, notificationDecider, notificationStream } from './notifications';
import { OrderCommand, OrderEvent, orderDecider, orderStream } from './orders';
import { PartnerCommand, PartnerEvent, partnerDecider, partnerStream } from './partners';
import { SCORECARD_CONFIG_STREAM, ScorecardConfigCommand, ScorecardConfigEvent, scorecardConfigDecider } from './performance/config';
import {
  PROMOTION_REGISTRY_STREAM,
  PromotionCommand,
  PromotionEvent,
  PromotionRegistryCommand,
  PromotionRegistryEvent,
  promotionDecider,
  promotionRegistryDecider,
  promotionStream,
} from './promotions';
import { ResourceCommand, ResourceEvent, resourceDecider, resourceStream } from './resources';
import { RevenueSplitCommand, RevenueSplitEvent, revenueSplitDecider, revenueSplitStream } from './revenue-splits';
import { SettlementCommand, SettlementEvent, settlementStream, statementDecider } from './settlements';
import type { Decider, Message, SnapshotCodec } from './shared/decider';
import { StockCommand, StockEvent, stockDecider, stockStream } from './stock';
import { TaxRateCommand, TaxRateEvent, taxRateDecider, taxRateStream } from './tax';
import { ThreadCommand, ThreadEvent, threadDecider, threadStream } from './threads';
import {
  SourcingCommand,
  SourcingEvent,
  sourcingDecider,
  sourcingStream,
  WarehouseCommand,
  WarehouseEvent,
  warehouseDecider,
  warehouseStream,
} from './warehouses';
import { WebhookCommand, WebhookEvent, webhookDecider, webhookStream } from './webhooks';

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
  /** Set for aggregates whose streams grow without bound: deciding starts from a snapshot and reads only the events after it. */
  readonly snapshot?: SnapshotCodec<S>;
}

const aggregate = <C extends Message, E extends Message, S>(a: Aggregate<C, E, S>): Aggregate<C, E, S> => a;

export const partners = aggregate({
  name: 'partner',
  commandSchema: PartnerCommand as z.ZodType<PartnerCommand>,
  eventSchema: PartnerEvent,
  streamOf: (c: PartnerCommand) => partnerStream(c.data.partnerId),
  decider: partnerDecider,
});

export const threads = aggregate({
  name: 'thread',
  commandSchema: ThreadCommand as z.ZodType<ThreadCommand>,
  eventSchema: ThreadEvent,
  streamOf: (c: ThreadCommand) => threadStream(c.data.threadId),
  decider: threadDecider,
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

export const dealerPriceLists = aggregate({
  name: 'dealerprices',
  commandSchema: DealerPriceListCommand as z.ZodType<DealerPriceListCommand>,
  eventSchema: DealerPriceListEvent,
  streamOf: (c: DealerPriceListCommand) => dealerPriceListStream(c.data.partnerId),
  decider: dealerPriceListDecider,
});

export const taxRates = aggregate({
  name: 'taxrates',
  commandSchema: TaxRateCommand as z.ZodType<TaxRateCommand>,
  eventSchema: TaxRateEvent,
  streamOf: (c: TaxRateCommand) => taxRateStream(c.data.region),
  decider: taxRateDecider,
});

export const orders = aggregate({
  name: 'order',
  commandSchema: OrderCommand as z.ZodType<OrderCommand>,
  eventSchema: OrderEvent,
  streamOf: (c: OrderCommand) => orderStream(c.data.orderId),
  decider: orderDecider,
});

export const promotions = aggregate({
  name: 'promotion',
  commandSchema: PromotionCommand as z.ZodType<PromotionCommand>,
  eventSchema: PromotionEvent,
  streamOf: (c: PromotionCommand) => promotionStream(c.data.promotionId),
  decider: promotionDecider,
});

export const promotionRegistry = aggregate({
  name: 'promotionregistry',
  commandSchema: PromotionRegistryCommand as z.ZodType<PromotionRegistryCommand>,
  eventSchema: PromotionRegistryEvent,
  streamOf: () => PROMOTION_REGISTRY_STREAM,
  decider: promotionRegistryDecider,
});

export const apiKeys = aggregate({
  name: 'apikey',
  commandSchema: ApiKeyCommand as z.ZodType<ApiKeyCommand>,
  eventSchema: ApiKeyEvent,
  streamOf: (c: ApiKeyCommand) => apiKeyStream(c.data.keyId),
  decider: apiKeyDecider,
});

export const users = aggregate({
  name: 'user',
  commandSchema: UserCommand as z.ZodType<UserCommand>,
  eventSchema: UserEvent,
  streamOf: (c: UserCommand) => userStream(c.data.userId),
  decider: userDecider,
});

export const emailRegistry = aggregate({
  name: 'emailregistry',
  commandSchema: EmailRegistryCommand as z.ZodType<EmailRegistryCommand>,
  eventSchema: EmailRegistryEvent,
  streamOf: () => EMAIL_REGISTRY_STREAM,
  decider: emailRegistryDecider,
});

export const sessions = aggregate({
  name: 'session',
  commandSchema: SessionCommand as z.ZodType<SessionCommand>,
  eventSchema: SessionEvent,
  streamOf: (c: SessionCommand) => sessionStream(c.data.sessionId),
  decider: sessionDecider,
});

export const stock = aggregate({
  name: 'stock',
  commandSchema: StockCommand as z.ZodType<StockCommand>,
  eventSchema: StockEvent,
  streamOf: (c: StockCommand) => stockStream(c.data.warehouseId, c.data.sku),
  decider: stockDecider,
});

export const warehouses = aggregate({
  name: 'warehouse',
  commandSchema: WarehouseCommand as z.ZodType<WarehouseCommand>,
  eventSchema: WarehouseEvent,
  streamOf: (c: WarehouseCommand) => warehouseStream(c.data.warehouseId),
  decider: warehouseDecider,
});

export const sourcing = aggregate({
  name: 'sourcing',
  commandSchema: SourcingCommand as z.ZodType<SourcingCommand>,
  eventSchema: SourcingEvent,
  streamOf: (c: SourcingCommand) => sourcingStream(c.data.region),
  decider: sourcingDecider,
});

export const backorderIndex = aggregate({
  name: 'backorderindex',
  commandSchema: BackorderIndexCommand as z.ZodType<BackorderIndexCommand>,
  eventSchema: BackorderIndexEvent,
  streamOf: (c: BackorderIndexCommand) => backorderIndexStream(c.data.sku),
  decider: backorderIndexDecider,
});

export const agreements = aggregate({
  name: 'agreement',
  commandSchema: AgreementCommand as z.ZodType<AgreementCommand>,
  eventSchema: AgreementEvent,
  streamOf: (c: AgreementCommand) => agreementStream(c.data.agreementId),
  decider: agreementDecider,
});

export const agreementRegistry = aggregate({
  name: 'agreementregistry',
  commandSchema: ScopeRegistryCommand as z.ZodType<ScopeRegistryCommand>,
  eventSchema: ScopeRegistryEvent,
  streamOf: (c: ScopeRegistryCommand) => scopeRegistryStream(c.data.partnerId),
  decider: scopeRegistryDecider,
});

export const territoryRegistry = aggregate({
  name: 'territoryregistry',
  commandSchema: TerritoryRegistryCommand as z.ZodType<TerritoryRegistryCommand>,
  eventSchema: TerritoryRegistryEvent,
  streamOf: () => TERRITORY_REGISTRY_STREAM,
  decider: territoryRegistryDecider,
});

export const dealerAccounts = aggregate({
  name: 'account',
  commandSchema: DealerAccountCommand as z.ZodType<DealerAccountCommand>,
  eventSchema: DealerAccountEvent,
  streamOf: (c: DealerAccountCommand) => dealerAccountStream(c.data.partnerId),
  decider: dealerAccountDecider,
});

export const credit = aggregate({
  name: 'credit',
  commandSchema: CreditCommand as z.ZodType<CreditCommand>,
  eventSchema: CreditEvent,
  streamOf: (c: CreditCommand) => creditStream(c.data.partnerId),
  decider: creditDecider,
  snapshot: creditSnapshotCodec,
});

export const revenueSplits = aggregate({
  name: 'revenuesplit',
  commandSchema: RevenueSplitCommand as z.ZodType<RevenueSplitCommand>,
  eventSchema: RevenueSplitEvent,
  streamOf: (c: RevenueSplitCommand) => revenueSplitStream(c.data.orderId),
  decider: revenueSplitDecider,
});

export const settlements = aggregate({
  name: 'settlement',
  commandSchema: SettlementCommand as z.ZodType<SettlementCommand>,
  eventSchema: SettlementEvent,
  streamOf: (c: SettlementCommand) => settlementStream(c.data.partnerId, c.data.period),
  decider: statementDecider,
});

export const commissions = aggregate({
  name: 'commission',
  commandSchema: CommissionCommand as z.ZodType<CommissionCommand>,
  eventSchema: CommissionEvent,
  streamOf: (c: CommissionCommand) => commissionStream(c.data.agentId, c.data.period),
  decider: commissionDecider,
});

export const evaluations = aggregate({
  name: 'evaluation',
  commandSchema: EvaluationCommand as z.ZodType<EvaluationCommand>,
  eventSchema: EvaluationEvent,
  streamOf: (c: EvaluationCommand) => evaluationStream(c.data.partnerId, c.data.period),
  decider: evaluationDecider,
});

export const scorecardConfig = aggregate({
  name: 'scorecardconfig',
  commandSchema: ScorecardConfigCommand as z.ZodType<ScorecardConfigCommand>,
  eventSchema: ScorecardConfigEvent,
  streamOf: () => SCORECARD_CONFIG_STREAM,
  decider: scorecardConfigDecider,
});

export const webhooks = aggregate({
  name: 'webhook',
  commandSchema: WebhookCommand as z.ZodType<WebhookCommand>,
  eventSchema: WebhookEvent,
  streamOf: (c: WebhookCommand) => webhookStream(c.data.webhookId),
  decider: webhookDecider,
});

export const notifications = aggregate({
  name: 'notification',
  commandSchema: NotificationCommand as z.ZodType<NotificationCommand>,
  eventSchema: NotificationEvent,
  streamOf: (c: NotificationCommand) => notificationStream(c.data.notificationId),
  decider: notificationDecider,
});

export const resources = aggregate({
  name: 'resource',
  commandSchema: ResourceCommand as z.ZodType<ResourceCommand>,
  eventSchema: ResourceEvent,
  streamOf: (c: ResourceCommand) => resourceStream(c.data.resourceId),
  decider: resourceDecider,
});

/** Every event type DMS records, with its schema: the event catalogue. */
export const eventSchemas: ReadonlyMap<string, z.ZodType> = new Map(
  [
    PartnerEvent,
    ThreadEvent,
    ProductEvent,
    PriceListEvent,
    DealerPriceListEvent,
    TaxRateEvent,
    OrderEvent,
    PromotionEvent,
    PromotionRegistryEvent,
    ApiKeyEvent,
    UserEvent,
    EmailRegistryEvent,
    SessionEvent,
    StockEvent,
    BackorderIndexEvent,
    WarehouseEvent,
    SourcingEvent,
    AgreementEvent,
    ScopeRegistryEvent,
    TerritoryRegistryEvent,
    CreditEvent,
    DealerAccountEvent,
    RevenueSplitEvent,
    SettlementEvent,
    CommissionEvent,
    EvaluationEvent,
    ScorecardConfigEvent,
    WebhookEvent,
    NotificationEvent,
    ResourceEvent,
  ].flatMap((union) => union.options.map((option) => [option.shape.type.value, option] as const)),
);

export type DmsEvent =
  | PartnerEvent
  | ThreadEvent
  | ProductEvent
  | PriceListEvent
  | DealerPriceListEvent
  | TaxRateEvent
  | OrderEvent
  | PromotionEvent
  | PromotionRegistryEvent
  | ApiKeyEvent
  | UserEvent
  | EmailRegistryEvent
  | SessionEvent
  | StockEvent
  | BackorderIndexEvent
  | WarehouseEvent
  | SourcingEvent
  | AgreementEvent
  | ScopeRegistryEvent
  | TerritoryRegistryEvent
  | CreditEvent
  | DealerAccountEvent
  | RevenueSplitEvent
  | SettlementEvent
  | CommissionEvent
  | EvaluationEvent
  | ScorecardConfigEvent
  | WebhookEvent
  | NotificationEvent
  | ResourceEvent;
