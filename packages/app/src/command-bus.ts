import {
  type Aggregate,
  type AgreementCommand,
  type ApiKeyCommand,
  aggregates,
  type CommissionCommand,
  type DealerPriceListCommand,
  dealerPriceListStream,
  type EvaluationCommand,
  type ExistingPromotion,
  type Message,
  type NotificationCommand,
  type OrderCommand,
  OrderRequest,
  type PartnerCommand,
  type PriceListCommand,
  type ProductCommand,
  type ProductState,
  type PromotionCommand,
  partnerStream,
  preparePlaceOrder,
  priceListStream,
  productStream,
  type ResourceCommand,
  type ScorecardConfigCommand,
  type SessionCommand,
  type TaxRateCommand,
  type ThreadCommand,
  taxRateStream,
  type UserCommand,
  type WebhookCommand,
} from '@dms/domain';
import { AggregateCache, type CommandAccepted, type CommandContext, type EventStore, type HandleOptions, handleCommand, loadAggregate } from '@dms/eventstore';
import { left } from 'fp-ts/Either';
import { dealerAgreements } from './agreement-services';
import { APP_MODULES } from './modules';
import { placeWithPromotions } from './promotion-services';
import type { ApplicationService, AppModule, CommandResult } from './service';

export type DmsCommand =
  | PartnerCommand
  | ProductCommand
  | PriceListCommand
  | DealerPriceListCommand
  | TaxRateCommand
  | OrderCommand
  | PromotionCommand
  | ApiKeyCommand
  | UserCommand
  | SessionCommand
  | AgreementCommand
  | WebhookCommand
  | NotificationCommand
  | ThreadCommand
  | EvaluationCommand
  | CommissionCommand
  | ScorecardConfigCommand
  | ResourceCommand;
export type { ApplicationService, CommandResult } from './service';

/** The intent command types of these modules and their services; a command type served twice is a mistake, refused here. */
const servicesOf = (modules: readonly AppModule[]): ReadonlyMap<string, ApplicationService> => {
  const services = new Map<string, ApplicationService>();
  const owner = new Map<string, string>();
  for (const module of modules) {
    for (const [type, service] of module.services) {
      if (owner.has(type)) throw new Error(`The command type ${type} is served by both the ${owner.get(type)} and the ${module.name} modules.`);
      owner.set(type, module.name);
      services.set(type, service);
    }
  }
  return services;
};

const defaultServices = servicesOf(APP_MODULES);

// biome-ignore lint/suspicious/noExplicitAny: the registry holds aggregates of different command/event/state types.
type AnyAggregate = Aggregate<any, any, any>;
const all: readonly AnyAggregate[] = [
  aggregates.partners,
  aggregates.threads,
  aggregates.products,
  aggregates.priceLists,
  aggregates.dealerPriceLists,
  aggregates.taxRates,
  aggregates.orders,
  aggregates.promotions,
  aggregates.apiKeys,
  aggregates.users,
  aggregates.sessions,
  aggregates.agreements,
  aggregates.webhooks,
  aggregates.notifications,
  aggregates.scorecardConfig,
  aggregates.resources,
];

const commandTypes = (aggregate: AnyAggregate): string[] =>
  (aggregate.commandSchema as unknown as { options: Array<{ shape: { type: { value: string } } }> }).options.map((o) => o.shape.type.value);

const routes = new Map<string, AnyAggregate>(all.flatMap((a) => commandTypes(a).map((type) => [type, a] as const)));

/** Every command type the bus accepts. */
export const COMMAND_TYPES: readonly string[] = [...new Set([...routes.keys(), ...defaultServices.keys()])];

export interface CommandBusOptions extends HandleOptions {
  /** The application modules whose services this bus runs: every module of the application layer unless given. */
  readonly modules?: readonly AppModule[];
}

/**
 * Routes any DMS command to its aggregate through the one command handler, and runs the application services that need
 * more than one stream (placing an order reads the partner, its tier's price list and the products to price the lines).
 * The services come from the application modules it is composed of (modules.ts); they see it as a `ServiceBus`.
 */
export class CommandBus {
  private readonly options: HandleOptions;
  private readonly services: ReadonlyMap<string, ApplicationService>;
  readonly #listeners = new Set<(accepted: CommandAccepted) => void>();

  constructor(
    readonly store: EventStore,
    { modules, ...options }: CommandBusOptions = {},
  ) {
    this.options = { ...options, cache: options.cache === undefined ? new AggregateCache() : options.cache };
    this.services = modules === undefined ? defaultServices : servicesOf(modules);
  }

  async execute(command: DmsCommand | Message, context: CommandContext): Promise<CommandResult> {
    const service = this.services.get(command.type);
    const aggregate = routes.get(command.type);
    if (!service && !aggregate) {
      return left({ code: 'UNKNOWN_COMMAND', message: `There is no command called ${command.type}.`, details: { type: command.type } });
    }
    const result = service ? await service(command, context, this) : await handleCommand(this.store, aggregate!, command, context, this.options);
    if (result._tag === 'Right' && result.right.events.length > 0) for (const listener of this.#listeners) listener(result.right);
    return result;
  }

  /**
   * Calls `listener` after every command this bus accepted, with its stream: how caches of this process (authentication's
   * view of keys, users and sessions) learn at once that a stream changed. Returns the function that unsubscribes.
   */
  onAccepted(listener: (accepted: CommandAccepted) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Prices a dealer's request (its tier's price list, or its own where its agreement says so: see `preparePlaceOrder`) and
   * places the order. The dealer's agreements are read only when it has a price list of its own.
   */
  async placeOrder(request: OrderRequest, context: CommandContext): Promise<CommandResult> {
    const parsed = OrderRequest.safeParse(request);
    if (!parsed.success) {
      return left({
        code: 'INVALID_COMMAND',
        message: `The order request is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
      });
    }
    const { state: partner } = await loadAggregate(this.store, aggregates.partners, partnerStream(parsed.data.partnerId));
    const tier = partner.exists ? partner.tier : '';
    const [priceList, dealerPriceList, taxRates, ...products] = await Promise.all([
      tier ? loadAggregate(this.store, aggregates.priceLists, priceListStream(tier)) : Promise.resolve({ state: aggregates.priceLists.decider.initialState }),
      loadAggregate(this.store, aggregates.dealerPriceLists, dealerPriceListStream(parsed.data.partnerId)),
      partner.exists
        ? loadAggregate(this.store, aggregates.taxRates, taxRateStream(partner.region))
        : Promise.resolve({ state: aggregates.taxRates.decider.initialState }),
      ...parsed.data.lines.map((l) => loadAggregate(this.store, aggregates.products, productStream(l.sku))),
    ]);
    const productsBySku = new Map<string, ProductState>(parsed.data.lines.map((l, i) => [l.sku, products[i]!.state]));
    const agreements = dealerPriceList.state.versions.length > 0 ? await dealerAgreements(this.store, parsed.data.partnerId) : [];
    const price = (promotions: readonly ExistingPromotion[]) => {
      const command = preparePlaceOrder(parsed.data, {
        partner,
        products: productsBySku,
        priceList: priceList.state,
        dealerPriceList: dealerPriceList.state,
        agreements,
        promotions,
        taxRates: taxRates.state,
      });
      return command._tag === 'Left' ? command : command.right;
    };
    const result = await placeWithPromotions(this.store, parsed.data.orderId, parsed.data.placedAt, price, context, (command) =>
      this.execute(command, context),
    );
    // `execute` told the listeners already when the order went alone; a unit with promotions is told here.
    if (result._tag === 'Right' && result.right.events.length > 0 && result.right.events.some((e) => e.type === 'PromotionBudgetConsumed'))
      for (const listener of this.#listeners) listener(result.right);
    return result;
  }
}
