import type { CommandBus } from '@dms/app';
import { type Policy, policyCommandId } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import type { Projection } from './projection';
import type { Logger } from './runner';

/**
 * Runs a domain policy as a reactor: for every event it handles, the commands the policy returns go through the command
 * bus with the command id `<policy>:<eventId>:<index>`, so redelivery after a crash or a second worker has no second effect.
 * The policy acts as the `system` principal; causation is the event, correlation is carried over.
 * A refused command is logged, not retried: the refusal is the domain's answer (e.g. an order cancelled meanwhile).
 */
export const policyReactor = (policy: Policy, bus: CommandBus, logger?: Logger): Projection => ({
  name: `policy_${policy.name}`,
  version: 1,
  eventTypes: policy.eventTypes,
  tables: [],
  createTables: async () => {},
  apply: async () => {},
  react: async (events: readonly RecordedEvent[]) => {
    for (const event of events) {
      const commands = policy.react({
        type: event.type,
        data: event.data,
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        eventId: event.eventId,
      });
      for (const [index, command] of commands.entries()) {
        const result = await bus.execute(command, {
          commandId: policyCommandId(policy, event.eventId, index),
          actor: { id: `policy:${policy.name}`, role: 'system' },
          causationId: event.eventId,
          correlationId: event.metadata.correlationId,
        });
        if (result._tag === 'Left')
          logger?.warn('policy command refused', { policy: policy.name, command: command.type, code: result.left.code, message: result.left.message });
      }
    }
  },
});
