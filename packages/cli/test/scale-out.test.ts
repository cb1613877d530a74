import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { issueApiKey } from '@dms/api';
import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from '@dms/eventstore/testing';
import { type DmsRuntime, leaseOwners, openDms, WEBHOOK_DISPATCHER } from '@dms/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Scale-out on one PostgreSQL database (docs/scaling.md): two `dms serve --no-projections` and two `dms worker` processes,
 * a bounded mixed load through both APIs, one worker killed with SIGKILL midway. Then every acknowledged command is in the
 * store once, every read model equals a fresh replay, every webhook delivery reached the subscriber (which acknowledges
 * each), none twice but one the dead worker had in flight, and the survivor holds every lease, the orphaned ones among
 * them. Nothing is timed: each step waits for what it needs, bounded by the test's timeout.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'dms.js');
const API_PORTS = [3150, 3151] as const;
const HEALTH_PORTS = [3152, 3153] as const;
const RECEIVER_PORT = 3154;
const ORDERS = 60;
const PARTNERS = 6;

interface Process {
  readonly name: string;
  readonly child: ChildProcessWithoutNullStreams;
  output: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every process started, from the moment it is spawned: `afterAll` kills them all, also those a failed start left. */
const spawned: Process[] = [];

const start = (name: string, args: string[], url: string, ready: string): Promise<Process> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, EVENTSTORE_CONNECTION_STRING: '', LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
    const p: Process = { name, child, output: '', exited };
    spawned.push(p);
    const collect = (d: Buffer) => {
      p.output += String(d);
      if (p.output.includes(ready)) resolve(p);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then(({ code, signal }) => reject(new Error(`${name} ended (${code ?? signal}) before it was ready:\n${p.output}`)));
  });

const eventually = async <T>(what: () => Promise<T | undefined> | T | undefined): Promise<T> => {
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
};

const available = await postgresAvailable();

describe.skipIf(!available)(`two API processes and two workers on one PostgreSQL database (${TEST_DATABASE_URL})`, () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let runtime: DmsRuntime;
  let token: string;
  /** What the subscriber received: event id by event id, with the time of each request (ms since the epoch). */
  const received = new Map<string, number[]>();
  let receiver: Server;

  beforeAll(async () => {
    testDb = await createTestDatabase('h15_scale_out');
    // Set-up in this process: schema and read models, and an admin key; nothing runs live here.
    runtime = await openDms({ databaseUrl: testDb.url, dataDir: '', eventstoreConnectionString: undefined });
    token = (await issueApiKey(runtime, { name: 'scale-out test', role: 'admin' }, { id: 'test-setup', role: 'admin' })).token;
    receiver = createServer((request, response) => {
      const id = String(request.headers['dms-event-id']);
      request.resume();
      request.on('end', () => {
        if (request.url !== '/settled') received.set(id, [...(received.get(id) ?? []), Date.now()]);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(RECEIVER_PORT, '127.0.0.1', resolve));
  }, 120_000);

  afterAll(async () => {
    for (const p of spawned) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(spawned.map((p) => p.exited));
    await new Promise((resolve) => receiver?.close(resolve));
    await runtime?.close();
    await testDb?.drop();
  }, 60_000);

  it('loses nothing, doubles nothing, and hands a killed worker’s leases to the survivor', async () => {
    const apis = await Promise.all(
      API_PORTS.map((port, i) => start(`api${i + 1}`, ['serve', '--no-projections', '--port', String(port)], testDb.url, 'No projections')),
    );
    const workers = await Promise.all(
      HEALTH_PORTS.map((port, i) => start(`w${i + 1}`, ['worker', '--name', `w${i + 1}`, '--health-port', String(port)], testDb.url, 'DMS worker')),
    );
    const call = async (api: number, method: string, path: string, body?: object, headers: Record<string, string> = {}) => {
      const response = await fetch(`http://127.0.0.1:${API_PORTS[api]}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const accepted = async (api: number, method: string, path: string, body: object, key: string) => {
      const r = await call(api, method, path, body, { 'idempotency-key': key });
      expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
      return BigInt(r.body.position as string);
    };

    // Both workers hold a share before the load begins.
    const names = [...runtime.runner.projections.map((p) => p.name), WEBHOOK_DISPATCHER, 'agreement_calendar'];
    await eventually(async () => {
      const owners = new Set((await leaseOwners(runtime.runner.db, names)).values());
      return owners.has('w1') && owners.has('w2') ? true : undefined;
    });

    await accepted(
      0,
      'POST',
      '/products',
      { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 12_500, currency: 'EUR' } },
      'p',
    );
    await accepted(1, 'PUT', '/price-lists/gold/discount', { discountBps: 500 }, 'd');
    await accepted(
      0,
      'POST',
      '/webhooks',
      { webhookId: 'hook', url: `http://127.0.0.1:${RECEIVER_PORT}/hook`, eventTypes: ['OrderPlaced', 'PartnerOnboarded'] },
      'w',
    );
    for (let i = 0; i < PARTNERS; i++) {
      const creditLimit = { amountMinor: 500_000_000, currency: 'EUR' };
      await accepted(i % 2, 'POST', '/partners', { partnerId: `p${i}`, name: `Partner ${i}`, region: 'north', tier: 'gold', creditLimit }, `partner-${i}`);
    }

    // The load: orders through both APIs, four at a time, each read back through the other API (read-your-writes across
    // processes, waiting on the workers' checkpoints). Midway the worker running the webhook dispatcher is killed.
    const acknowledged: string[] = [];
    let killedAt = 0;
    let killing = false;
    let killed: Process | undefined;
    let orphaned: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < ORDERS) {
          const i = next++;
          const orderId = `o-${i}`;
          const position = await accepted(
            i % 2,
            'POST',
            '/orders',
            { orderId, partnerId: `p${i % PARTNERS}`, lines: [{ sku: 'PUMP-1', quantity: 1 + (i % 3) }] },
            orderId,
          );
          acknowledged.push(orderId);
          if (i % 5 === 0) {
            const read = await eventually(async () => {
              const r = await call((i + 1) % 2, 'GET', `/orders/${orderId}?minPosition=${position}`);
              return r.status === 503 ? undefined : r;
            });
            expect(read.status).toBe(200);
            expect(read.body.orderId).toBe(orderId);
          }
          if (acknowledged.length >= ORDERS / 2 && !killing) {
            killing = true;
            // The dispatcher's owner, once it has one (on a loaded machine a lease may be between owners a moment).
            const owners = await eventually(async () => {
              const now = await leaseOwners(runtime.runner.db, names);
              return workers.some((w) => w.name === now.get(WEBHOOK_DISPATCHER)) ? now : undefined;
            });
            const victim = owners.get(WEBHOOK_DISPATCHER)!;
            killed = workers.find((w) => w.name === victim)!;
            orphaned = names.filter((n) => owners.get(n) === victim);
            // Frozen first, so that what it sent before it stopped is taken in by the receiver (a request of our own,
            // sent after, comes back once it has been) and stamped before the kill, not a few milliseconds after.
            killed.child.kill('SIGSTOP');
            await fetch(`http://127.0.0.1:${RECEIVER_PORT}/settled`, { method: 'POST', body: '{}' });
            await new Promise((r) => setTimeout(r, 100));
            killedAt = Date.now();
            killed.child.kill('SIGKILL');
          }
        }
      }),
    );
    expect(killed, 'a worker was killed midway').toBeDefined();
    expect(orphaned).toContain(WEBHOOK_DISPATCHER);
    expect(await killed!.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const survivor = workers.find((w) => w !== killed)!;

    // The survivor takes every lease, the orphaned ones among them, and says so on its health port.
    await eventually(async () => {
      const owners = await leaseOwners(runtime.runner.db, names);
      return names.every((n) => owners.get(n) === survivor.name) ? true : undefined;
    });
    const health = (await (await fetch(`http://127.0.0.1:${HEALTH_PORTS[workers.indexOf(survivor)]}/health`)).json()) as { leases: string[] };
    expect(health.leases).toEqual(expect.arrayContaining(orphaned));

    // Every acknowledged command is in the store once.
    const placed = new Map<string, number>();
    for await (const e of runtime.store.readAll({ filter: { eventTypes: ['OrderPlaced'] } })) {
      const id = (e.data as { orderId: string }).orderId;
      placed.set(id, (placed.get(id) ?? 0) + 1);
    }
    expect(acknowledged.length).toBe(ORDERS);
    expect([...placed.keys()].sort()).toEqual([...acknowledged].sort());
    expect([...placed.values()].every((n) => n === 1)).toBe(true);

    // The workers have caught up with everything; every read model equals a fresh replay of the log.
    const head = (await runtime.store.headPosition())!;
    expect(await eventually(async () => ((await runtime.runner.waitForPosition(head, 1000)) ? true : undefined))).toBe(true);
    const replayable = runtime.runner.projections.filter((p) => !p.react && p.replayable !== false).map((p) => p.name);
    for (const name of replayable) {
      const verification = await runtime.runner.verify(name);
      expect(verification.ok, `${name}: ${JSON.stringify(verification.tables)}`).toBe(true);
    }

    // Every webhook delivery reached the subscriber; none twice, but for one the dead worker had sent just before it died.
    const wanted: string[] = [];
    for await (const e of runtime.store.readAll({ filter: { eventTypes: ['OrderPlaced', 'PartnerOnboarded'] } })) wanted.push(e.eventId);
    await eventually(() => (wanted.every((id) => received.has(id)) ? true : undefined));
    expect(wanted.length).toBe(ORDERS + PARTNERS);
    const twice = [...received].filter(([, times]) => times.length > 1);
    for (const [id, times] of twice) expect(times[0]!, `${id} was sent twice, the first time after the kill`).toBeLessThanOrEqual(killedAt);
    // And the outbox says so (the answer is recorded just after the subscriber has it).
    const statuses = async () =>
      (
        await runtime.runner.db
          .selectFrom('webhook_deliveries')
          .select(({ fn }) => ['status', fn.countAll<string>().as('n')])
          .groupBy('status')
          .execute()
      ).map((r) => [r.status, Number(r.n)]);
    await eventually(async () => ((await statuses()).every(([status]) => status === 'delivered') ? true : undefined));
    expect(await statuses()).toEqual([['delivered', ORDERS + PARTNERS]]);

    // SIGTERM ends the others cleanly.
    for (const p of [...apis, survivor]) p.child.kill('SIGTERM');
    for (const p of [...apis, survivor]) expect(await p.exited, p.output).toEqual({ code: 0, signal: null });
  }, 300_000);
});
