/**
 * `pnpm bench:review`: automated review throughput for a dealer with a long history next to a new dealer's (issue 11).
 *
 * On a scratch database of the PostgreSQL server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres;
 * dropped at the end): two dealers with the same agreement and a credit limit that never binds. The veteran's credit
 * stream gets the history of `--past` earlier orders, each reserved and then paid (two events each), written straight
 * into its `credit-<partnerId>` stream: nothing else a review reads grows with a dealer's past orders (each order is its
 * own stream; the partner, agreement and product streams do not change). Then, in alternating slices so that other load
 * on the machine falls on all of them alike, one at a time: a new order placed (not timed) and its `ReviewOrder` (timed,
 * the command the `order_review` policy sends) for the new dealer, for the veteran, and for the veteran on the same
 * store seen without snapshots (every stream folded from its start: how DMS decided before snapshots, and still does on
 * EventStoreDB). Reports reviews/s per variant and the veteran's as a share of the new dealer's (aim: within 20 %).
 * Writes its section of docs/benchmarks.md.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CommandBus, type DmsCommand } from '@dms/app';
import type { Actor, Message } from '@dms/domain';
import { type EventStore, eventIdFor, openDatabase, PostgresEventStore } from '@dms/eventstore';
import { pg } from './pg';

const { values: args } = parseArgs({
  options: {
    past: { type: 'string', default: '10000' },
    reviews: { type: 'string', default: '200' },
    slices: { type: 'string', default: '4' },
    report: { type: 'string', default: 'docs/benchmarks.md' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('pnpm bench:review [--past 10000] [--reviews 200] [--slices 4] [--report docs/benchmarks.md|none]');
  process.exit(0);
}
const past = Number(args.past);
const reviewsPerVariant = Number(args.reviews);
const slices = Number(args.slices);
for (const [flag, n] of [
  ['--past', past],
  ['--reviews', reviewsPerVariant],
  ['--slices', slices],
] as const) {
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`${flag} must be a whole number of at least 1, not ${String(n)}.`);
    process.exit(64);
  }
}

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = `dms_bench_review_${process.pid}`;
const admin: Actor = { id: 'bench', role: 'admin' };
const system: Actor = { id: 'policy:bench', role: 'system' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const at = '2025-03-01T09:00:00Z';
let seq = 0;
const ctx = (actor: Actor = admin) => ({ commandId: `bench-${process.pid}-${++seq}`, actor });

const ok = async (bus: CommandBus, command: DmsCommand | Message, actor: Actor = admin) => {
  const r = await bus.execute(command, ctx(actor));
  if (r._tag === 'Left') throw new Error(`${command.type}: ${r.left.code}: ${r.left.message}`);
  return r.right;
};

const setUpDealer = async (bus: CommandBus, partnerId: string) => {
  await ok(bus, {
    type: 'OnboardPartner',
    data: { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: eur(1_000_000_000_00), contacts: [], onboardedAt: '2025-01-01T00:00:00Z' },
  });
  const agreementId = `agr-${partnerId}`;
  const split = (partyId: string) => [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 9_000 },
    { partyId, role: 'dealer', shareBps: 1_000 },
  ];
  await ok(bus, {
    type: 'DraftAgreement',
    data: {
      agreementId,
      partnerId,
      title: 'Pumps in the north',
      terms: {
        currency: 'EUR',
        scope: { productCategories: ['pumps'], regions: ['north'], exclusive: false },
        responsibilities: [],
        pricingTier: 'gold',
        revenueSplit: split(partnerId),
        rebate: { basis: 'band_total', bands: [{ from: eur(0), rateBps: 0 }] },
        jointMarketing: split(partnerId).map((p) => ({ ...p, shareBps: 5_000 })),
        settlement: { basis: 'on_invoice', period: 'month' },
        paymentTerms: { netDays: 30 },
        ipClause: 'Trademarks stay with the manufacturer.',
        breachClauses: [],
      },
      effectiveFrom: '2025-01-01',
      expiresOn: '2025-12-31',
      draftedAt: '2024-12-01T00:00:00Z',
    },
  });
  await ok(bus, { type: 'ProposeAgreement', data: { agreementId, proposedAt: '2024-12-02T00:00:00Z' } });
  await ok(bus, { type: 'SignAgreement', data: { agreementId, party: 'manufacturer', signedBy: 'M', signedAt: '2024-12-03T00:00:00Z' } });
  await ok(bus, { type: 'SignAgreement', data: { agreementId, party: 'dealer', signedBy: 'D', signedAt: '2024-12-04T00:00:00Z' } });
  await ok(bus, { type: 'ActivateAgreement', data: { agreementId, activatedAt: '2025-01-01T00:00:00Z' } });
};

/** `count` past orders of a dealer in its credit stream: each reserved on approval and released when paid. */
const writeHistory = async (store: EventStore, partnerId: string, count: number) => {
  const stream = `credit-${partnerId}`;
  const amount = eur(100_00);
  for (let from = 0; from < count; from += 250) {
    const events = [];
    for (let i = from; i < Math.min(count, from + 250); i++) {
      const orderId = `past-${i}`;
      const metadata = { correlationId: orderId, causationId: null, actor: system, schemaVersion: 1 };
      events.push(
        {
          eventId: eventIdFor(`${stream}:${orderId}:reserve`, 0),
          type: 'CreditReserved',
          data: {
            partnerId,
            orderId,
            amount,
            orderReserved: amount,
            exposure: amount,
            limit: eur(1_000_000_000_00),
            overLimit: false,
            reason: 'automated review',
            reservedAt: at,
          },
          metadata: { ...metadata, commandId: `${orderId}:reserve` },
        },
        {
          eventId: eventIdFor(`${stream}:${orderId}:paid`, 0),
          type: 'CreditReleased',
          data: { partnerId, orderId, amount, orderReserved: eur(0), exposure: eur(0), reason: 'payment received', releasedAt: at },
          metadata: { ...metadata, commandId: `${orderId}:paid` },
        },
      );
    }
    await store.appendToStream(stream, events, { expectedVersion: from === 0 ? 'no_stream' : from * 2 - 1 });
  }
};

/** The same store without its snapshots: every stream is folded from its start. */
const withoutSnapshots = (store: EventStore): EventStore => ({
  appendToStream: (...a) => store.appendToStream(...a),
  readStream: (...a) => store.readStream(...a),
  readAll: (...a) => store.readAll(...a),
  subscribeToAll: (...a) => store.subscribeToAll(...a),
  headPosition: () => store.headPosition(),
  close: () => store.close(),
});

interface Variant {
  readonly label: string;
  readonly bus: CommandBus;
  readonly partnerId: string;
  readonly ms: number[];
  n: number;
}

const reviewOne = async (v: Variant) => {
  const orderId = `${v.label.replace(/\W+/g, '-')}-${++v.n}`;
  const placed = await v.bus.placeOrder(
    { orderId, partnerId: v.partnerId, lines: [{ sku: 'PUMP', quantity: 1 }], placedAt: at },
    ctx({ id: `${v.partnerId}.buyer`, role: 'dealer', partnerId: v.partnerId }),
  );
  if (placed._tag === 'Left') throw new Error(placed.left.message);
  const started = process.hrtime.bigint();
  const reviewed = await v.bus.execute(
    { type: 'ReviewOrder', data: { orderId, reviewedAt: at } },
    { commandId: `order_review:${placed.right.events[0]!.eventId}:0`, actor: system },
  );
  v.ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  if (reviewed._tag === 'Left' || !reviewed.right.events.some((e) => e.type === 'OrderApproved'))
    throw new Error(`${orderId} was not approved: ${JSON.stringify(reviewed, (_, x) => (typeof x === 'bigint' ? String(x) : x)).slice(0, 300)}`);
};

const main = async () => {
  const t0 = Date.now();
  const server = new pg.Client({ connectionString: serverUrl });
  await server.connect();
  await server.query(`create database ${scratch}`);
  const url = new URL(serverUrl);
  url.pathname = `/${scratch}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  try {
    const store = await PostgresEventStore.create(database.db);
    const bus = new CommandBus(store);
    await ok(bus, {
      type: 'RegisterProduct',
      data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00), registeredAt: '2025-01-01T00:00:00Z' },
    });
    for (const dealer of ['newcomer', 'veteran', 'veteran-whole']) await setUpDealer(bus, dealer);
    process.stdout.write(`writing ${past.toLocaleString('en-US')} past orders into two veterans' credit streams... `);
    await writeHistory(store, 'veteran', past);
    await writeHistory(store, 'veteran-whole', past);
    console.log('done');
    const variants: Variant[] = [
      { label: 'new dealer', bus, partnerId: 'newcomer', ms: [], n: 0 },
      { label: `dealer with ${past.toLocaleString('en-US')} past orders`, bus, partnerId: 'veteran', ms: [], n: 0 },
      {
        label: `dealer with ${past.toLocaleString('en-US')} past orders, without snapshots`,
        bus: new CommandBus(withoutSnapshots(store)),
        partnerId: 'veteran-whole',
        ms: [],
        n: 0,
      },
    ];
    // Warm-up (not counted): JIT, connections, and the veteran's first snapshot.
    for (const v of variants) for (let i = 0; i < 3; i++) await reviewOne(v);
    for (const v of variants) v.ms.length = 0;
    const perSlice = Math.ceil(reviewsPerVariant / slices);
    for (let s = 0; s < slices; s++) {
      for (const v of variants) {
        const count = Math.min(perSlice, reviewsPerVariant - s * perSlice);
        for (let i = 0; i < count; i++) await reviewOne(v);
      }
      process.stdout.write(`slice ${s + 1}/${slices}\r`);
    }
    const rate = (v: Variant) => v.ms.length / (v.ms.reduce((a, b) => a + b, 0) / 1000);
    const p = (v: Variant, q: number) => [...v.ms].sort((a, b) => a - b)[Math.min(v.ms.length - 1, Math.floor(q * v.ms.length))]!;
    const base = rate(variants[0]!);
    const rows = variants.map((v) => {
      const share = rate(v) / base;
      return `| ${v.label} | ${v.ms.length} | **${rate(v).toFixed(1)}** | ${p(v, 0.5).toFixed(2)} / ${p(v, 0.99).toFixed(2)} | ${(share * 100).toFixed(0)} % |`;
    });
    const veteranShare = rate(variants[1]!) / base;
    const seconds = Math.round((Date.now() - t0) / 1000);
    const section = [
      '<!-- review-bench:begin -->',
      '<!-- Generated by `pnpm bench:review`: everything between these two markers is replaced on every run. -->',
      '',
      '## Review throughput and dealer history',
      '',
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`pnpm bench:review --past ${past} --reviews ${reviewsPerVariant} --slices ${slices}\`, ${seconds} s in all, PostgreSQL server at ${url.host}, ${cpus().length} cores.`,
      '',
      `One \`ReviewOrder\` at a time (automated approval: credit reserved, order approved), timed alone; orders placed in between are not timed. The veterans' credit streams hold ${(past * 2).toLocaleString('en-US')} events each (every past order reserved and paid). Variants alternate in ${slices} slices.`,
      '',
      "| Dealer | reviews | reviews/s | p50 / p99 ms | of the new dealer's |",
      '|---|--:|--:|--:|--:|',
      ...rows,
      '',
      `Aim: a dealer with ${past.toLocaleString('en-US')} past orders reviews within 20 % of a new dealer's throughput: **${veteranShare >= 0.8 ? 'met' : 'short'}** (${(veteranShare * 100).toFixed(0)} %). "Without snapshots" is the same store with every stream folded from its start, as before snapshots (and as on EventStoreDB, which keeps none).`,
      '<!-- review-bench:end -->',
    ].join('\n');
    console.log(`\n${section}`);
    if (args.report !== 'none') {
      const path = resolve(args.report);
      const text = await readFile(path, 'utf8');
      const begin = text.indexOf('<!-- review-bench:begin -->');
      const end = text.indexOf('<!-- review-bench:end -->');
      const next =
        begin >= 0 && end > begin
          ? `${text.slice(0, begin)}${section}${text.slice(end + '<!-- review-bench:end -->'.length)}`
          : `${text.trimEnd()}\n\n${section}\n`;
      await writeFile(path, next);
      console.log(`written to ${path}`);
    }
  } finally {
    await database.close();
    await server.query(`drop database if exists ${scratch} with (force)`);
    await server.end();
  }
};

await main();
