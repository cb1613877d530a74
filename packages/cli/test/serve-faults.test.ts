import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  createTestDatabase,
  type PrivateCluster,
  postgresAvailable,
  privateClusterUnavailable,
  startPrivateCluster,
  terminateBackends,
} from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

/**
 * `dms serve` under database faults: its own server process, against a database whose connections the test drops
 * (terminated backends on the shared server; a restart of a PostgreSQL cluster of its own). It must stay up, answer 503
 * while the database is away, lose no acknowledged write, and resume projections and webhook deliveries by itself.
 */

const BIN = join(import.meta.dirname, '..', 'bin', 'dms.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `dms serve` on `port` against `databaseUrl` until `stop()`; every line it prints is kept. */
const startServe = async (databaseUrl: string, port: number) => {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', DMS_RATE_LIMIT_PER_MINUTE: '1000000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (!output.includes(base)) {
    if (child.exitCode !== null) throw new Error(`dms serve exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`dms serve did not start in 90 s:\n${output}`);
    await sleep(100);
  }
  return {
    base,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
};

type Serve = Awaited<ReturnType<typeof startServe>>;

const adminKey = async (databaseUrl: string): Promise<string> => {
  process.env.DATABASE_URL = databaseUrl;
  try {
    const created = await runDms('keys', 'create', '--role', 'admin', '--name', 'fault test');
    expect(created.code).toBe(0);
    return created.stdout.match(/dms_\S+/)![0];
  } finally {
    delete process.env.DATABASE_URL;
  }
};

/**
 * Writers that onboard partners one after another, each retrying a 503 with the same Idempotency-Key (the advice the
 * 503 gives) until it is acknowledged. Keeps every acknowledged partner and its position, and anything that is neither
 * an acknowledgement nor a 503.
 */
const writeLoad = (serve: Serve, token: string, label: string, writers = 3) => {
  const { base } = serve;
  const acked = new Map<string, bigint>();
  const unexpected: string[] = [];
  const unavailable: unknown[] = [];
  let stopping = false;
  let n = 0;
  const post = (partnerId: string) =>
    fetch(`${base}/partners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `onboard-${partnerId}` },
      body: JSON.stringify({ partnerId, name: `Partner ${partnerId}`, region: 'north', tier: 'gold', creditLimit: { amountMinor: 100_000, currency: 'EUR' } }),
    });
  const writer = async () => {
    while (!stopping) {
      const partnerId = `${label}-${n++}`;
      for (;;) {
        const response = await post(partnerId).catch((e: Error) => e);
        if (response instanceof Error) {
          unexpected.push(`${partnerId}: ${response.message}`);
          break;
        }
        const body = (await response.json()) as { position?: string; code?: string };
        if (response.status === 201 || response.status === 200) {
          acked.set(partnerId, BigInt(body.position!));
          break;
        }
        if (response.status !== 503) {
          unexpected.push(`${partnerId}: HTTP ${response.status} ${JSON.stringify(body)}`);
          break;
        }
        unavailable.push({ contentType: response.headers.get('content-type'), retryAfter: response.headers.get('retry-after'), body });
        if (stopping) break;
        await sleep(100);
      }
    }
  };
  const running = Promise.all(Array.from({ length: writers }, writer));
  return {
    acked,
    unexpected,
    unavailable,
    /** Waits until `count` more writes are acknowledged. */
    progress: async (count: number) => {
      const target = acked.size + count;
      const deadline = Date.now() + 60_000;
      while (acked.size < target) {
        if (serve.child.exitCode !== null) throw new Error(`dms serve exited with ${serve.child.exitCode}:\n${serve.output().slice(-4000)}`);
        if (Date.now() > deadline) throw new Error(`only ${acked.size} of ${target} writes acknowledged in 60 s; unexpected: ${unexpected.join('; ')}`);
        await sleep(50);
      }
    },
    stop: async () => {
      stopping = true;
      await running;
    },
  };
};

/** Every acknowledged partner is in the read model, read at the highest acknowledged position (projections caught up). */
const expectAllAcknowledged = async (base: string, token: string, acked: Map<string, bigint>) => {
  const highest = [...acked.values()].reduce((a, b) => (a > b ? a : b), 0n);
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const url = `${base}/partners?limit=500&minPosition=${highest}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    let response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    // On a shared server a transaction open in another test's database can hold the projections back for a while.
    for (let retries = 0; response.status === 503 && retries < 30; retries++) {
      await sleep(1000);
      response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    }
    expect(response.status, await response.clone().text()).toBe(200);
    const page = (await response.json()) as { items: { partnerId: string }[]; nextCursor: string | null };
    for (const p of page.items) seen.add(p.partnerId);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  expect([...acked.keys()].filter((id) => !seen.has(id))).toEqual([]);
};

const getJson = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
};

/** A webhook receiver on this machine: the partner ids of the PartnerOnboarded events posted to it. */
const startReceiver = async () => {
  const received = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.add((JSON.parse(body) as { data: { partnerId: string } }).data.partnerId);
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const registerWebhook = async (databaseUrl: string, url: string) => {
  process.env.DATABASE_URL = databaseUrl;
  try {
    expect((await runDms('webhooks', 'create', '--url', url, '--events', 'PartnerOnboarded', '--name', 'erp')).code).toBe(0);
  } finally {
    delete process.env.DATABASE_URL;
  }
};

const eventually = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
};

const onSharedServer = await postgresAvailable();

describe.runIf(onSharedServer)('dms serve when PostgreSQL ends its connections (pg_terminate_backend on its own database)', () => {
  let db: { url: string; drop(): Promise<void> };
  let serve: Serve | undefined;
  beforeAll(async () => {
    db = await createTestDatabase('faults');
  });
  afterAll(async () => {
    await serve?.stop();
    await db?.drop();
  });

  it('stays up, answers 503 or succeeds, and loses no acknowledged write', async () => {
    const token = await adminKey(db.url);
    serve = await startServe(db.url, 3130);
    const load = writeLoad(serve, token, 'term');
    await load.progress(5);
    for (let round = 0; round < 5; round++) {
      expect(await terminateBackends(db.url)).toBeGreaterThan(0);
      await load.progress(3);
    }
    await load.stop();

    expect(serve.child.exitCode, serve.output()).toBeNull();
    expect(load.unexpected).toEqual([]);
    for (const answer of load.unavailable)
      expect(answer).toMatchObject({ contentType: 'application/problem+json; charset=utf-8', body: { code: 'DATABASE_UNAVAILABLE' } });
    expect(await getJson(`${serve.base}/health/ready`)).toMatchObject({ status: 200, body: { status: 'ready' } });
    await expectAllAcknowledged(serve.base, token, load.acked);
  });
});

const noCluster = privateClusterUnavailable();

describe.skipIf(noCluster !== undefined)(`dms serve across a restart of its PostgreSQL cluster${noCluster ? ` (SKIPPED: ${noCluster})` : ''}`, () => {
  let cluster: PrivateCluster | undefined;
  let serve: Serve | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  beforeAll(async () => {
    cluster = await startPrivateCluster(55430);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await serve?.stop();
    await cluster?.destroy();
    await receiver?.close();
  });

  it('answers 503 while the database is down, is ready again as soon as it is back, and resumes projections and deliveries', async () => {
    const url = await cluster!.createDatabase('dms');
    const token = await adminKey(url);
    await registerWebhook(url, receiver!.url);
    serve = await startServe(url, 3131);
    const load = writeLoad(serve, token, 'restart');
    await load.progress(5);

    // A crash of the server (immediate shutdown: connections just end), with writes in flight.
    await cluster!.stop('immediate');
    const down = await getJson(`${serve.base}/health`);
    expect(down).toMatchObject({ status: 200, body: { status: 'ok', database: 'down' } });
    const notReady = await getJson(`${serve.base}/health/ready`);
    expect(notReady).toMatchObject({ status: 503, contentType: 'application/problem+json; charset=utf-8', body: { code: 'DATABASE_UNAVAILABLE' } });
    const rejected = load.unavailable.length;
    await eventually('writes answer 503 while the database is down', () => load.unavailable.length >= rejected + 3);

    await cluster!.start();
    // Ready at the first ask: connections are opened on demand, there is no reconnection backoff to sit out.
    const backAt = Date.now();
    expect(await getJson(`${serve.base}/health/ready`)).toMatchObject({ status: 200, body: { status: 'ready' } });
    console.info(`[serve-faults] ready ${Date.now() - backAt} ms after PostgreSQL accepted connections again`);
    await load.progress(5);
    await load.stop();

    expect(serve.child.exitCode, serve.output()).toBeNull();
    expect(load.unexpected).toEqual([]);
    for (const answer of load.unavailable)
      expect(answer).toMatchObject({ contentType: 'application/problem+json; charset=utf-8', retryAfter: '1', body: { code: 'DATABASE_UNAVAILABLE' } });
    await expectAllAcknowledged(serve.base, token, load.acked);
    const ids = [...load.acked.keys()];
    await eventually('every acknowledged partner is delivered to the webhook', () => ids.every((id) => receiver!.received.has(id)));
    expect(serve.output()).toMatch(/database unavailable: projections wait and retry/);
    expect(serve.output()).toMatch(/database reachable again: projections resumed/);
    expect(serve.output()).not.toMatch(/"level":(50|"error")/);
  });
});
