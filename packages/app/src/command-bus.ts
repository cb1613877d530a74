import {
  type Aggregate,
  type AgreementCommand,
  type ApiKeyCommand,
  aggregates,
  type CommissionCommand,
  type DomainError,
  type EvaluationCommand,
  type Message,
  type NotificationCommand,
  type OrderCommand,
  OrderRequest,
  type PartnerCommand,
  type PriceListCommand,
  type ProductCommand,
  type ProductState,
  partnerStream,
  preparePlaceOrder,
  priceListStream,
  productStream,
  type ScorecardConfigCommand,
  type SessionCommand,
  type ThreadCommand,
  type UserCommand,
  type WebhookCommand,
} from '@dms/domain';
import { AggregateCache, type CommandAccepted, type CommandContext, type EventStore, type HandleOptions, handleCommand, loadAggregate } from '@dms/eventstore';
import { type Either, left } from 'fp-ts/Either';
import { agreementServices } from './agreement-services';
import { fulfilmentServices } from './fulfilment-services';
import { performanceServices } from './performance-services';
import { reviewServices } from './review-services';
import { settlementServices } from './settlement-services';
import { stockServices } from './stock-services';
import { threadServices } from './thread-services';
import { userServices } from './user-services';

export type DmsCommand =
  | PartnerCommand
  | ProductCommand
  | PriceListCommand
  | OrderCommand
  | ApiKeyCommand
  | UserCommand
  | SessionCommand
  | AgreementCommand
  | WebhookCommand
  | NotificationCommand
  | ThreadCommand
  | EvaluationCommand
  | CommissionCommand
  | ScorecardConfigCommand;
export type CommandResult = Either<DomainError, CommandAccepted>;

/**
 * An application service: runs a command that needs more than its own stream to be decided (an intent), by reading
 * what it needs and then sending domain commands through the bus. Register one per command type in `services`.
 */
export type ApplicationService = (command: Message, context: CommandContext, bus: CommandBus) => Promise<CommandResult>;

/** Intent command types and their services. Each capability adds its own entries here. */
const services = new Map<string, ApplicationService>();
for (const [type, service] of [...stockServices, ...fulfilmentServices]) services.set(type, service);
for (const [type, service] of [...agreementServices, ...reviewServices, ...settlementServices]) services.set(type, service);
for (const [type, service] of [...threadServices, ...userServices, ...performanceServices]) services.set(type, service);

// biome-ignore lint/suspicious/noExplicitAny: the registry holds aggregates of different command/event/state types.
type AnyAggregate = Aggregate<any, any, any>;
const all: readonly AnyAggregate[] = [
  aggregates.partners,
  aggregates.threads,
  aggregates.products,
  aggregates.priceLists,
  aggregates.orders,
  aggregates.apiKeys,
  aggregates.users,
  aggregates.sessions,
  aggregates.agreements,
  aggregates.webhooks,
  aggregates.notifications,
  aggregates.scorecardConfig,
];

const commandTypes = (aggregate: AnyAggregate): string[] =>
  (aggregate.commandSchema as unknown as { options: Array<{ shape: { type: { value: string } } }> }).options.map((o) => o.shape.type.value);

const routes = new Map<string, AnyAggregate>(all.flatMap((a) => commandTypes(a).map((type) => [type, a] as const)));

/** Every command type the bus accepts. */
export const COMMAND_TYPES: readonly string[] = [...new Set([...routes.keys(), ...services.keys()])];

/**
 * Routes any DMS command to its aggregate through the one command handler, and runs the application services that need
 * more than one stream (placing an order reads the partner, its tier's price list and the products to price the lines).
 */
export class CommandBus {
  private readonly options: HandleOptions;
  readonly #listeners = new Set<(accepted: CommandAccepted) => void>();

  constructor(
    readonly store: EventStore,
    options: HandleOptions = {},
  ) {
    this.options = { ...options, cache: options.cache === undefined ? new AggregateCache() : options.cache };
  }

  async execute(command: DmsCommand | Message, context: CommandContext): Promise<CommandResult> {
    const service = services.get(command.type);
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

  /** Prices a dealer's request at the partner's tier prices and places the order. */
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
    const [priceList, ...products] = await Promise.all([
      tier ? loadAggregate(this.store, aggregates.priceLists, priceListStream(tier)) : Promise.resolve({ state: aggregates.priceLists.decider.initialState }),
      ...parsed.data.lines.map((l) => loadAggregate(this.store, aggregates.products, productStream(l.sku))),
    ]);
    const productsBySku = new Map<string, ProductState>(parsed.data.lines.map((l, i) => [l.sku, products[i]!.state]));
    const command = preparePlaceOrder(parsed.data, { partner, products: productsBySku, priceList: priceList.state });
    if (command._tag === 'Left') return command;
    return this.execute(command.right, context);
  }
}
