import { type Actor, aggregates, agreementStream, scopeRegistryStream, TERRITORY_REGISTRY_STREAM, type TerritoryRegistryState } from '@dms/domain';
import { type Database, type EventStore, handleCommand, loadAggregate, openDatabase, PostgresEventStore } from '@dms/eventstore';
import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus, type CommandResult } from '../src/command-bus';
import { setUpDealer, signAgreement, standardTerms } from './support/agreements';

/**
 * Exclusivity between dealers through the command bus, on embedded PostgreSQL (PGlite, one connection) and on a real
 * server with a pool of connections: refusals name the conflict and write nothing, termination and amendment move the
 * territory, and dealers activating conflicting agreements at the same moment never both succeed.
 */
const admin: Actor = { id: 'anna', role: 'admin' };
let seq = 0;
const ctx = () => ({ commandId: `t-${++seq}`, actor: admin });
const ok = (r: CommandResult) => {
  if (r._tag === 'Left') throw new Error(`${r.left.code}: ${r.left.message}`);
  return r.right;
};
const pumpsSouth = { productCategories: ['pumps'], regions: ['south'], exclusive: false };
const pumpsNorth = (exclusive: boolean) => ({ productCategories: ['pumps'], regions: ['north'], exclusive });
const activate = (bus: CommandBus, agreementId: string, at = '2025-01-01T06:00:00Z', commandId = `t-${++seq}`) =>
  bus.execute({ type: 'ActivateAgreement', data: { agreementId, activatedAt: at } }, { commandId, actor: admin });

const streamTypes = async (store: EventStore, streamId: string) => (await loadAggregate(store, aggregates.agreements, streamId)).events.map((e) => e.type);
const territory = async (store: EventStore) => loadAggregate(store, aggregates.territoryRegistry, TERRITORY_REGISTRY_STREAM);
const holders = (state: TerritoryRegistryState) => [...state.holdings].filter(([, h]) => h.claims.length > 0).map(([id]) => id);

/** Every pair of different agreements' claims that meet where they must not: the invariant the registry keeps. */
const conflictsIn = (state: TerritoryRegistryState) => {
  const claims = [...state.holdings].flatMap(([agreementId, h]) => h.claims.map((c) => ({ agreementId, partnerId: h.partnerId, ...c })));
  return claims.flatMap((a, i) =>
    claims
      .slice(i + 1)
      .filter(
        (b) =>
          a.agreementId !== b.agreementId &&
          (a.partnerId === b.partnerId || a.exclusive || b.exclusive) &&
          a.from <= b.until &&
          b.from <= a.until &&
          a.productCategories.some((c) => b.productCategories.includes(c)) &&
          a.regions.some((r) => b.regions.includes(r)),
      )
      .map((b) => [a.agreementId, b.agreementId]),
  );
};

/**
 * The store, with the first `parties` appends to `streamId` held until all of them are waiting: every rival has read the
 * registry and decided before any of them writes, so the race is certain, and only the expected version can settle it.
 * (After two seconds the gate opens anyway, so that a rival refused earlier fails the test instead of hanging it.)
 */
const racing = (store: EventStore, streamId: string, parties: number): EventStore => {
  let waiting = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
    setTimeout(resolve, 2_000).unref();
  });
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          if (args[0] === streamId && waiting < parties) {
            if (++waiting === parties) open();
            await gate;
          }
          return target.appendToStream(...args);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
};

/** The store, running `after` once, right after the first append to `streamId`: a write that lands between two steps of a service. */
const interleaving = (store: EventStore, streamId: string, after: () => Promise<unknown>): EventStore => {
  let done = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          const appended = await target.appendToStream(...args);
          if (args[0] === streamId && !done) {
            done = true;
            await after();
          }
          return appended;
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
};

type Harness = { bus: CommandBus; close: () => Promise<void> };

const exclusivitySuite = (label: string, open: () => Promise<Harness>) =>
  describe(`exclusivity between dealers (${label})`, () => {
    let harness: Harness;
    let bus: CommandBus;
    let store: EventStore;
    const dealers = ['acme', 'bolt', 'cask', 'dyna', 'echo', 'flux', 'gyro', 'hale'];

    beforeAll(async () => {
      harness = await open();
      bus = harness.bus;
      store = bus.store;
      for (const d of dealers) await setUpDealer(bus, d, 1_000_00, false);
    });
    afterAll(async () => harness?.close());

    it("refuses another dealer's activation where an exclusive agreement is in force, naming it, and writes nothing", async () => {
      await signAgreement(bus, { agreementId: 'x-acme', partnerId: 'acme', scope: pumpsNorth(true), effectiveFrom: '2025-01-01', expiresOn: '2025-12-31' });
      const activated = ok(await activate(bus, 'x-acme'));
      expect(activated.events.map((e) => e.type)).toEqual(['AgreementActivated', 'TerritoryClaimed', 'AgreementScopeClaimed']);

      const scope = { productCategories: ['valves', 'pumps'], regions: ['south', 'north'], exclusive: false };
      await signAgreement(bus, { agreementId: 'x-bolt', partnerId: 'bolt', scope, effectiveFrom: '2025-03-01', expiresOn: '2026-02-28' });
      const head = await store.headPosition();
      const refused = await activate(bus, 'x-bolt', '2025-03-01T06:00:00Z');
      expect(refused).toMatchObject({
        _tag: 'Left',
        left: {
          code: 'EXCLUSIVE_TERRITORY_TAKEN',
          details: {
            conflictingPartnerId: 'acme',
            conflictingAgreementId: 'x-acme',
            categories: ['pumps'],
            regions: ['north'],
            from: '2025-03-01',
            until: '2025-12-31',
          },
        },
      });
      if (refused._tag === 'Left')
        expect(refused.left.message).toMatch(
          /^Dealer acme holds pumps in north from 2025-03-01 to 2025-12-31 exclusively under agreement x-acme; agreement x-bolt of dealer bolt/,
        );
      expect(await store.headPosition()).toBe(head);
      expect((await loadAggregate(store, aggregates.agreements, agreementStream('x-bolt'))).state).toMatchObject({ status: 'signed' });
    });

    it('refuses an exclusive activation where another dealer already holds the territory', async () => {
      await signAgreement(bus, { agreementId: 'x-cask', partnerId: 'cask', scope: pumpsNorth(false), effectiveFrom: '2026-01-01', expiresOn: '2026-12-31' });
      ok(await activate(bus, 'x-cask', '2026-01-01T06:00:00Z'));
      await signAgreement(bus, {
        agreementId: 'x-dyna',
        partnerId: 'dyna',
        scope: { productCategories: ['pumps', 'pipes'], regions: ['north'], exclusive: true },
        effectiveFrom: '2026-06-01',
        expiresOn: '2027-05-31',
      });
      const head = await store.headPosition();
      const refused = await activate(bus, 'x-dyna', '2026-06-01T06:00:00Z');
      expect(refused).toMatchObject({
        _tag: 'Left',
        left: {
          code: 'EXCLUSIVE_TERRITORY_TAKEN',
          details: { conflictingPartnerId: 'cask', requestedExclusive: true, from: '2026-06-01', until: '2026-12-31' },
        },
      });
      expect(await store.headPosition()).toBe(head);
    });

    it('frees the territory from the day after a termination, for another dealer to take from then', async () => {
      const terminated = ok(
        await bus.execute(
          { type: 'TerminateAgreement', data: { agreementId: 'x-acme', reason: 'Restructuring', terminatedAt: '2025-06-30T12:00:00Z' } },
          ctx(),
        ),
      );
      expect(terminated.events.map((e) => e.type)).toEqual(['AgreementTerminated', 'AgreementScopeReleased', 'TerritoryReleased']);
      // x-bolt claims from 1 March: still refused for March to June.
      expect(await activate(bus, 'x-bolt', '2025-07-01T06:00:00Z')).toMatchObject({
        _tag: 'Left',
        left: { code: 'EXCLUSIVE_TERRITORY_TAKEN', details: { from: '2025-03-01', until: '2025-06-30' } },
      });
      await signAgreement(bus, { agreementId: 'x-bolt-2', partnerId: 'bolt', scope: pumpsNorth(true), effectiveFrom: '2025-07-01', expiresOn: '2025-12-31' });
      ok(await activate(bus, 'x-bolt-2', '2025-07-01T06:00:00Z'));
      expect(holders((await territory(store)).state)).toContain('x-bolt-2');
    });

    it('refuses an amendment into exclusivity over another dealer, and lets another dealer in once exclusivity is given up', async () => {
      const amend = (agreementId: string, exclusive: boolean, effectiveFrom: string, partnerId: string) =>
        bus.execute(
          {
            type: 'AmendAgreement',
            data: {
              agreementId,
              terms: { ...standardTerms(partnerId), scope: pumpsNorth(exclusive) },
              effectiveFrom,
              reason: exclusive ? 'Exclusive from here on' : 'Exclusivity given up',
              signedBy: { manufacturer: 'M', dealer: 'D' },
              amendedAt: '2026-02-01T09:00:00Z',
            },
          },
          ctx(),
        );
      // cask holds pumps in the north for 2026, non-exclusively; x-bolt-2 is over, so nobody else is there in 2026.
      ok(await amend('x-cask', true, '2026-03-01', 'cask'));
      await signAgreement(bus, { agreementId: 'x-echo', partnerId: 'echo', scope: pumpsNorth(false), effectiveFrom: '2026-09-01', expiresOn: '2026-12-31' });
      const head = await store.headPosition();
      expect(await activate(bus, 'x-echo', '2026-09-01T06:00:00Z')).toMatchObject({ _tag: 'Left', left: { code: 'EXCLUSIVE_TERRITORY_TAKEN' } });
      expect(await store.headPosition()).toBe(head);
      // cask gives exclusivity up from September: echo may come in then.
      ok(await amend('x-cask', false, '2026-09-01', 'cask'));
      ok(await activate(bus, 'x-echo', '2026-09-01T06:00:00Z'));
      // Exclusive again from November? echo is there: refused, and nothing written.
      const before = await store.headPosition();
      expect(await amend('x-cask', true, '2026-11-01', 'cask')).toMatchObject({
        _tag: 'Left',
        left: { code: 'EXCLUSIVE_TERRITORY_TAKEN', details: { conflictingAgreementId: 'x-echo', requestedExclusive: true, from: '2026-11-01' } },
      });
      expect(await store.headPosition()).toBe(before);
      expect(conflictsIn((await territory(store)).state)).toEqual([]);
    });

    it('repeats no effect when an activation is retried after a crash between its claims and the agreement', async () => {
      await signAgreement(bus, {
        agreementId: 'x-flux',
        partnerId: 'flux',
        scope: { productCategories: ['filters'], regions: ['east'], exclusive: true },
        effectiveFrom: '2025-01-01',
        expiresOn: '2025-12-31',
      });
      const agreement = (await loadAggregate(store, aggregates.agreements, agreementStream('x-flux'))).state;
      if (!agreement.exists) throw new Error('x-flux missing');
      // The first attempt claimed the territory with the id derived from the intent's, then the process died.
      const claims = [{ version: 1, productCategories: ['filters'], regions: ['east'], exclusive: true, from: '2025-01-01', until: '2025-12-31' }];
      ok(
        await handleCommand(
          store,
          aggregates.territoryRegistry,
          { type: 'ClaimTerritory', data: { partnerId: 'flux', agreementId: 'x-flux', claims, claimedAt: '2025-01-01T06:00:00Z' } },
          { commandId: 'crash-1:territory', actor: admin, causationId: 'crash-1', correlationId: 'crash-1' },
        ),
      );
      const retried = ok(await activate(bus, 'x-flux', '2025-01-01T06:00:00Z', 'crash-1'));
      expect(retried.events.map((e) => e.type)).toEqual(['AgreementActivated', 'TerritoryClaimed', 'AgreementScopeClaimed']);
      const again = ok(await activate(bus, 'x-flux', '2025-01-01T06:00:00Z', 'crash-1'));
      expect(again.replayed).toBe(true);
      const claimedTimes = (await territory(store)).events.filter((e) => (e.data as { agreementId: string }).agreementId === 'x-flux').length;
      expect(claimedTimes).toBe(1);
      expect((await loadAggregate(store, aggregates.agreementRegistry, scopeRegistryStream('flux'))).events).toHaveLength(1);
    });

    it("undoes the territory claim when the dealer's registry refuses after it (a registry claim from before the territory registry)", async () => {
      await signAgreement(bus, { agreementId: 'undo-gyro', partnerId: 'gyro', scope: pumpsSouth, effectiveFrom: '2028-01-01', expiresOn: '2028-12-31' });
      // Written straight into gyro's registry while the activation runs, as a registry claim predating the territory registry would be.
      const legacy = () =>
        handleCommand(
          store,
          aggregates.agreementRegistry,
          {
            type: 'ClaimAgreementScope',
            data: {
              partnerId: 'gyro',
              agreementId: 'legacy-gyro',
              claims: [{ version: 1, productCategories: ['pumps'], regions: ['south'], from: '2028-01-01', until: '2028-06-30' }],
              claimedAt: '2027-12-01T00:00:00Z',
            },
          },
          ctx(),
        );
      const interrupted = new CommandBus(interleaving(store, TERRITORY_REGISTRY_STREAM, legacy));
      const refused = await activate(interrupted, 'undo-gyro', '2028-01-01T06:00:00Z');
      expect(refused).toMatchObject({ _tag: 'Left', left: { code: 'AGREEMENT_SCOPE_OVERLAP', details: { conflictingAgreementId: 'legacy-gyro' } } });
      const after = await territory(store);
      expect(after.state.holdings.get('undo-gyro')?.claims).toEqual([]);
      expect(after.events.filter((e) => (e.data as { agreementId: string }).agreementId === 'undo-gyro').map((e) => e.type)).toEqual([
        'TerritoryClaimed',
        'TerritoryReleased',
      ]);
      expect((await loadAggregate(store, aggregates.agreements, agreementStream('undo-gyro'))).state).toMatchObject({ status: 'signed' });
      // Another dealer may take the south now: nothing of undo-gyro is left in the territory.
      await signAgreement(bus, {
        agreementId: 'after-hale',
        partnerId: 'hale',
        scope: { ...pumpsSouth, exclusive: true },
        effectiveFrom: '2028-01-01',
        expiresOn: '2028-03-31',
      });
      ok(await activate(bus, 'after-hale', '2028-01-01T06:00:00Z'));
    });

    it('gives both registries back when the agreement itself changed between the claims and the activation', async () => {
      await signAgreement(bus, { agreementId: 'undo-hale', partnerId: 'hale', scope: pumpsSouth, effectiveFrom: '2028-04-01', expiresOn: '2028-12-31' });
      // Terminated (while only signed, so never in force) as of 30 June, just after the activation claimed the dealer's registry.
      const terminate = () =>
        bus.execute({ type: 'TerminateAgreement', data: { agreementId: 'undo-hale', reason: 'Withdrawn', terminatedAt: '2028-06-30T12:00:00Z' } }, ctx());
      const interrupted = new CommandBus(interleaving(store, scopeRegistryStream('hale'), terminate));
      const refused = await activate(interrupted, 'undo-hale', '2028-04-01T06:00:00Z');
      expect(refused).toMatchObject({ _tag: 'Left', left: { code: 'INVALID_AGREEMENT_TRANSITION' } });
      expect((await territory(store)).state.holdings.get('undo-hale')?.claims).toEqual([]);
      const registry = (await loadAggregate(store, aggregates.agreementRegistry, scopeRegistryStream('hale'))).state;
      expect(registry.claims.get('undo-hale')).toEqual([]);
    });

    it('keeps the claims of an agreement activated by a concurrent intent when its own activation is refused', async () => {
      await signAgreement(bus, {
        agreementId: 'twice-gyro',
        partnerId: 'gyro',
        scope: { ...pumpsSouth, regions: ['east'] },
        effectiveFrom: '2028-01-01',
        expiresOn: '2028-12-31',
      });
      const race = new CommandBus(racing(store, TERRITORY_REGISTRY_STREAM, 2));
      const results = await Promise.all([activate(race, 'twice-gyro', '2028-01-01T06:00:00Z'), activate(race, 'twice-gyro', '2028-01-01T06:00:01Z')]);
      expect(results.map((r) => (r._tag === 'Left' ? r.left.code : 'activated')).sort()).toEqual(['INVALID_AGREEMENT_TRANSITION', 'activated']);
      expect((await loadAggregate(store, aggregates.agreements, agreementStream('twice-gyro'))).state).toMatchObject({ status: 'active' });
      expect((await territory(store)).state.holdings.get('twice-gyro')?.claims).toMatchObject([{ from: '2028-01-01', until: '2028-12-31' }]);
      const registry = (await loadAggregate(store, aggregates.agreementRegistry, scopeRegistryStream('gyro'))).state;
      expect(registry.claims.get('twice-gyro')).toMatchObject([{ from: '2028-01-01', until: '2028-12-31' }]);
    });

    it('never lets two dealers activate conflicting agreements at the same moment: one wins, the others are refused having written nothing', async () => {
      const rivals = ['acme', 'bolt', 'cask', 'dyna', 'echo', 'flux', 'gyro', 'hale'];
      for (const d of rivals) {
        await signAgreement(bus, {
          agreementId: `race-${d}`,
          partnerId: d,
          scope: { productCategories: ['controls'], regions: ['west'], exclusive: true },
          effectiveFrom: '2027-01-01',
          expiresOn: '2027-12-31',
        });
      }
      const before = (await territory(store)).version;
      const race = new CommandBus(racing(store, TERRITORY_REGISTRY_STREAM, rivals.length));
      const results = await Promise.all(rivals.map((d) => activate(race, `race-${d}`, '2027-01-01T06:00:00Z')));
      const winners = rivals.filter((_, i) => results[i]!._tag === 'Right');
      expect(winners).toHaveLength(1);
      for (const r of results.filter((r) => r._tag === 'Left')) {
        expect(r).toMatchObject({ left: { code: 'EXCLUSIVE_TERRITORY_TAKEN', details: { conflictingAgreementId: `race-${winners[0]}` } } });
      }
      const after = await territory(store);
      expect(after.version - before).toBe(1);
      for (const d of rivals.filter((d) => d !== winners[0])) {
        expect(await streamTypes(store, agreementStream(`race-${d}`))).not.toContain('AgreementActivated');
        const registry = (await loadAggregate(store, aggregates.agreementRegistry, scopeRegistryStream(d))).state;
        expect(registry.claims.has(`race-${d}`)).toBe(false);
      }
      expect(conflictsIn(after.state)).toEqual([]);
    });

    it('keeps the invariant when exclusive and non-exclusive activations race: either the exclusive one alone, or only non-exclusive ones', async () => {
      const rivals = ['acme', 'bolt', 'cask', 'dyna', 'echo', 'flux'];
      for (const [i, d] of rivals.entries()) {
        await signAgreement(bus, {
          agreementId: `mix-${d}`,
          partnerId: d,
          scope: { productCategories: ['fittings'], regions: ['west'], exclusive: i === 2 },
          effectiveFrom: '2027-01-01',
          expiresOn: '2027-12-31',
        });
      }
      const race = new CommandBus(racing(store, TERRITORY_REGISTRY_STREAM, rivals.length));
      const results = await Promise.all(rivals.map((d) => activate(race, `mix-${d}`, '2027-01-01T06:00:00Z')));
      const winners = rivals.filter((_, i) => results[i]!._tag === 'Right');
      if (winners.includes('cask')) expect(winners).toEqual(['cask']);
      else expect(winners).toEqual(rivals.filter((d) => d !== 'cask'));
      for (const r of results) if (r._tag === 'Left') expect(r.left.code).toBe('EXCLUSIVE_TERRITORY_TAKEN');
      expect(conflictsIn((await territory(store)).state)).toEqual([]);
    });
  });

exclusivitySuite('embedded PostgreSQL', async () => {
  const database: Database = await openDatabase({ dataDir: 'memory://' });
  const bus = new CommandBus(await PostgresEventStore.create(database.db, { pollIntervalMs: 10 }));
  return { bus, close: () => database.close() };
});

const available = await postgresAvailable();
describe.skipIf(!available)(`on a PostgreSQL server (${available ? TEST_DATABASE_URL : 'SKIPPED'})`, () => {
  exclusivitySuite('PostgreSQL server, pool of 20', async () => {
    const testDb = await createTestDatabase('territory');
    const database = await openDatabase({ databaseUrl: testDb.url, poolSize: 20 });
    const bus = new CommandBus(await PostgresEventStore.create(database.db, { pollIntervalMs: 10 }));
    return {
      bus,
      close: async () => {
        await database.close();
        // Let the pool's sockets finish closing: dropping the database with (force) would otherwise kill them mid-close.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await testDb.drop();
      },
    };
  });
});
