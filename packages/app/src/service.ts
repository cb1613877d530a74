import type { DomainError, Message } from '@dms/domain';
import type { CommandAccepted, CommandContext, EventStore } from '@dms/eventstore';
import type { Either } from 'fp-ts/Either';

/**
 * What an application service is, and what a module of the application layer contributes. The services import this
 * file, never the bus: the bus is composed from the modules (modules.ts), so the arrows point one way.
 */

export type CommandResult = Either<DomainError, CommandAccepted>;

/** What a service may use of the bus that runs it: the store to read, and the bus to send further commands. */
export interface ServiceBus {
  readonly store: EventStore;
  execute(command: Message, context: CommandContext): Promise<CommandResult>;
}

/**
 * An application service: runs a command that needs more than its own stream to be decided (an intent), by reading
 * what it needs and then sending domain commands through the bus.
 */
export type ApplicationService = (command: Message, context: CommandContext, bus: ServiceBus) => Promise<CommandResult>;

/** A module of the application layer: a name, and the intent command types it serves with the service for each. */
export interface AppModule {
  readonly name: string;
  readonly services: Iterable<readonly [string, ApplicationService]>;
}
