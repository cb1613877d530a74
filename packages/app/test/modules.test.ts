import type { Actor } from '@dms/domain';
import { MemoryEventStore } from '@dms/eventstore';
import { right } from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { APP_MODULES, type AppModule, COMMAND_TYPES, CommandBus } from '../src/index';

const admin: Actor = { id: 'anna', role: 'admin' };
const ctx = (commandId: string) => ({ commandId, actor: admin });

/** The bus is composed of application modules: each lists the intents it serves, and no service imports the bus. */
describe('application modules', () => {
  it('every intent of every module is a command the bus accepts, and each is served by one module only', () => {
    const intents = APP_MODULES.flatMap((m) => [...m.services].map(([type]) => type));
    expect(new Set(intents).size).toBe(intents.length);
    for (const type of intents) expect(COMMAND_TYPES).toContain(type);
    expect(APP_MODULES.map((m) => m.name)).toEqual(expect.arrayContaining(['stock', 'fulfilment', 'backorders', 'agreements', 'order review', 'settlements']));
  });

  it('given the modules it is composed of, a bus runs their services and no other, and sends the rest to their aggregates', async () => {
    const seen: string[] = [];
    const onboarding: AppModule = {
      name: 'onboarding',
      services: [
        [
          'RegisterWarehouse',
          async (command, context, bus) => {
            seen.push(command.type);
            return bus.execute(
              {
                type: 'OnboardPartner',
                data: {
                  partnerId: 'p1',
                  name: 'Acme',
                  region: 'north',
                  tier: 'gold',
                  creditLimit: { amountMinor: 0, currency: 'EUR' },
                  contacts: [],
                  onboardedAt: '2026-01-05T10:00:00Z',
                },
              },
              context,
            );
          },
        ],
      ],
    };
    const store = new MemoryEventStore();
    const bus = new CommandBus(store, { modules: [onboarding] });
    const result = await bus.execute({ type: 'RegisterWarehouse', data: {} }, ctx('c1'));
    expect(seen).toEqual(['RegisterWarehouse']);
    expect(result._tag === 'Right' && result.right.streamId).toBe('partner-p1');
    // With no module serving stock, a stock command goes straight to its aggregate, where the schema refuses it.
    const stock = await bus.execute({ type: 'ReceiveStock', data: {} }, ctx('c2'));
    expect(stock._tag).toBe('Left');
  });

  it('refuses to build a bus where two modules serve the same command type, naming both', () => {
    const one: AppModule = {
      name: 'one',
      services: [['PlaceThing', async () => right({ streamId: 's', streamVersion: 0, position: 0n, events: [], replayed: false })]],
    };
    const two: AppModule = { name: 'two', services: one.services };
    expect(() => new CommandBus(new MemoryEventStore(), { modules: [one, two] })).toThrow(/PlaceThing is served by both the one and the two modules/);
  });
});
