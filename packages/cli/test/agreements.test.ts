import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

/** `dms agreements` and `dms settlements` on a small demo data set, in-process, in a throwaway embedded data folder. */
const dir = mkdtempSync(join(tmpdir(), 'dms-agreements-'));
const run = runDms;

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

let demoOutput = '';

beforeAll(async () => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  const demo = await run('demo', '--orders', '60', '--seed', '5');
  if (demo.code !== 0) throw new Error(demo.stderr);
  demoOutput = demo.stdout;
}, 600_000); // a demo, with its year of performance reviews: slow on a loaded machine
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms agreements', () => {
  it('lists the registry with amendments, a termination and expiry warnings', async () => {
    const list = await run('agreements', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^agreement\s+dealer\s+status\s+v\s+in force from\s+expires/);
    expect(list.stdout).toMatch(/AGR-bohemia-trade-2026\s+Bohemia Trade s\.r\.o\.\s+terminated/);
    expect(list.stdout).toMatch(/AGR-alpine-systems-2026\s+Alpine Systems GmbH\s+active\s+3/);
    const expiring = await run('agreements', 'list', '--expiring', '30', '--as-of', '2026-11-20');
    expect(expiring.stdout).toContain('expiring within 30 days of 2026-11-20');
    expect(expiring.stdout).toMatch(/AGR-brittany-valves-2026 .* 10\s/);
    expect((await run('agreements', 'list', '--expiring', '45')).stdout).toContain('--expiring must be 30, 60 or 90');
  });

  it("refuses adriatic-tech's exclusive agreement for the south, which iberia-agua already serves", async () => {
    expect(demoOutput).toMatch(/Refused by the domain, as in real life: .*1 × EXCLUSIVE_TERRITORY_TAKEN/);
    expect((await run('agreements', 'show', 'AGR-adriatic-tech-2026')).stdout).toMatch(/signed/);
    expect((await run('agreements', 'activate', 'AGR-adriatic-tech-2026')).stdout).toMatch(
      /Refused \(EXCLUSIVE_TERRITORY_TAKEN\): Agreement AGR-adriatic-tech-2026 would give dealer adriatic-tech .* exclusively, but dealer iberia-agua already holds it under agreement AGR-iberia-agua-2026/,
    );
  });

  it('shows every version of an agreement and its breaches', async () => {
    const show = await run('agreements', 'show', 'AGR-rhein-industrie-2026');
    expect(show.stdout).toContain('Version 1: 2025-11-01 to 2027-06-30');
    expect(show.stdout).toMatch(/BR-1\s+B3 \(v1\)\s+2026-03-31\s+dealer\s+750\.00 EUR/);
    const amended = await run('agreements', 'show', 'AGR-nordic-flow-2026');
    expect(amended.stdout).toContain('Version 2: 2026-06-01 to 2026-12-15 — Mid-year review');
    expect((await run('agreements', 'show', 'nope')).stdout).toContain('does not exist');
  });

  it('drafts, proposes, signs and activates an agreement from a JSON file', async () => {
    const file = join(dir, 'agreement.json');
    const agreement = (dunning: unknown) =>
      JSON.stringify({
        agreementId: 'AGR-adriatic-tech-2027',
        partnerId: 'adriatic-tech',
        title: 'Adriatic Tech distribution agreement',
        effectiveFrom: '2026-11-01',
        expiresOn: '2027-10-31',
        terms: {
          currency: 'EUR',
          scope: { productCategories: ['pumps', 'valves', 'pipes', 'fittings', 'controls', 'filters'], regions: ['south'], exclusive: false },
          pricingTier: 'standard',
          revenueSplit: [
            { partyId: 'manufacturer', role: 'manufacturer', shareBps: 9_300 },
            { partyId: 'adriatic-tech', role: 'dealer', shareBps: 700 },
          ],
          rebate: { basis: 'band_total', bands: [{ from: eur(0), rateBps: 0 }] },
          jointMarketing: [{ partyId: 'manufacturer', role: 'manufacturer', shareBps: 10_000 }],
          settlement: { basis: 'on_invoice', period: 'month' },
          paymentTerms: { netDays: 30 },
          dunning,
          ipClause: 'Trademarks stay with the manufacturer.',
        },
      });
    // Dunning levels that do not rise are refused, naming the field; nothing is drafted.
    writeFileSync(
      file,
      agreement({
        levels: [
          { fromDaysPastDue: 10, tell: ['dealer'] },
          { fromDaysPastDue: 5, tell: ['dealer', 'sales'] },
        ],
      }),
    );
    expect((await run('agreements', 'draft', '--file', file)).stdout).toContain(
      'Refused (INVALID_COMMAND): DraftAgreement is invalid: data.terms.dunning.levels.1.fromDaysPastDue: level 2 (from 5 days past due) must start after level 1 (from 10 days): levels rise.',
    );
    expect((await run('agreements', 'show', 'AGR-adriatic-tech-2027')).stdout).toContain('does not exist');
    writeFileSync(
      file,
      agreement({
        levels: [
          { fromDaysPastDue: 10, tell: ['dealer'] },
          { fromDaysPastDue: 40, tell: ['dealer', 'sales'] },
        ],
      }),
    );
    expect((await run('agreements', 'draft', '--file', file)).stdout).toContain('Agreement AGR-adriatic-tech-2027 drafted (AgreementDrafted)');
    expect((await run('agreements', 'show', 'AGR-adriatic-tech-2027')).stdout).toContain(
      'dunning    1 reminder from 10 days (dealer); 2 final notice from 40 days (dealer and sales)',
    );
    expect((await run('agreements', 'show', 'AGR-rhein-industrie-2026')).stdout).toContain(
      'dunning    1 reminder from 1 day (dealer); 2 second reminder from 15 days (dealer and sales); 3 final notice from 30 days (dealer and sales) (the defaults)',
    );
    expect((await run('agreements', 'activate', 'AGR-adriatic-tech-2027')).stdout).toMatch(/Refused \(INVALID_AGREEMENT_TRANSITION\)/);
    expect((await run('agreements', 'propose', 'AGR-adriatic-tech-2027')).code).toBe(0);
    expect((await run('agreements', 'sign', 'AGR-adriatic-tech-2027', '--party', 'manufacturer', '--by', 'Jonas Berg')).code).toBe(0);
    // Signed by both after its effective date: in force at once.
    const signed = await run('agreements', 'sign', 'AGR-adriatic-tech-2027', '--party', 'dealer', '--by', 'Ana Horvat');
    expect(signed.stdout).toContain('Signed by the dealer (AgreementSigned)');
    expect((await run('agreements', 'show', 'AGR-adriatic-tech-2027')).stdout).toMatch(/active; in force 2026-11-01 to 2027-10-31/);
  });

  it('shows how automated review decided, and names what is wrong with a decision', async () => {
    const decided = await run('agreements', 'queue', '--status', 'approved', '--limit', '500');
    expect(decided.stdout).toMatch(/policy:order_review \(system\) Approved automatically/);
    expect((await run('agreements', 'reject-order', 'nope', '--reason', 'x')).stdout).toContain('Refused (ORDER_NOT_FOUND)');
    expect((await run('agreements', 'reject-order', 'nope')).stdout).toContain('Use: dms agreements reject-order');
  });
});

describe('dms settlements', () => {
  it('lists statements and shows one that reconciles to its invoices', async () => {
    const list = await run('settlements', 'list', '--status', 'paid', '--limit', '500');
    expect(list.stdout).toMatch(/^period\s+dealer\s+status\s+lines\s+volume/);
    const row = /(\d{4}-\d{2})\s+Alpine Systems GmbH\s+paid/.exec(list.stdout);
    expect(row).not.toBeNull();
    const show = await run('settlements', 'show', 'alpine-systems', row![1]!);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('revenue share');
    // Four eyes: the demo's statements were closed by one person and approved by another.
    expect(show.stdout).toMatch(/: paid; closed \S+ by felix\.finance, approved \S+ by greta\.finance, paid /);
    expect(show.stdout).toMatch(/Reconciliation: .* Reconciled\./);
  });

  it('shows the split ledger per party and rebate progress', async () => {
    const splits = await run('settlements', 'splits', '--party', 'agent-sven');
    expect(splits.stdout).toMatch(/agent-sven \(sales_agent\)\s+invoice/);
    expect(splits.stdout).toContain('Totals over the whole selection');
    const rebates = await run('settlements', 'rebates', '--as-of', '2026-10-15');
    expect(rebates.stdout).toMatch(/Alpine Systems GmbH\s+AGR-alpine-systems-2026 v3\s+2026-10/);
  });

  it('explains bad usage', async () => {
    expect((await run('settlements', 'show')).code).toBe(64);
    expect((await run('settlements', 'close', 'alpine-systems', '2026-11')).stdout).toContain('Refused (PERIOD_NOT_ENDED)');
  });
});

// `dms audit state` on the same demo's other aggregates (docs/audit.md, step 3): an order's is in cli.test.ts.
describe('dms audit state', () => {
  it("gives an agreement's, a dealer's credit's, a stock line's and a settlement statement's state at each step, folded by its own evolve", async () => {
    const period = /(\d{4}-\d{2})\s+Alpine Systems GmbH\s+paid/.exec((await run('settlements', 'list', '--status', 'paid', '--limit', '500')).stdout)?.[1];
    expect(period).toBeDefined();
    const streams = [
      ['agreement-AGR-alpine-systems-2026', 'agreement'],
      ['credit-alpine-systems', 'credit'],
      ['stock-WH-HUB.PMP-005', 'stock'],
      [`settlement-alpine-systems.${period}`, 'settlement'],
    ] as const;
    for (const [streamId, aggregate] of streams) {
      const now = await run('audit', 'state', streamId, '--json');
      expect(now.code, `${streamId}: ${now.stderr}`).toBe(0);
      const whole = JSON.parse(now.stdout);
      expect(whole).toMatchObject({ aggregate, version: whole.eventsInStream - 1, verification: { ok: true } });
      expect(whole.state.exists ?? true).toBe(true);
      // Each step, asked for by its global position, stands at that step: the prefix folded, and nothing after it.
      const at = (i: number) => Math.min(i, whole.entries.length - 1);
      for (const i of new Set([0, at(1), at(Math.floor(whole.entries.length / 2)), whole.entries.length - 1])) {
        const step = JSON.parse((await run('audit', 'state', streamId, '--position', whole.entries[i].globalPosition, '--json')).stdout);
        expect(step.version, `${streamId} at v${i}`).toBe(i);
        expect(step.entries).toEqual(whole.entries.slice(0, i + 1));
        if (i === whole.entries.length - 1) expect(step.state).toEqual(whole.state);
      }
      expect(JSON.parse((await run('audit', 'state', streamId, '--at', '2000-01-01', '--json')).stdout)).toMatchObject({ version: -1, entries: [] });
    }
  }, 600_000);
});

// `dms receivables` on the same demo (docs/receivables.md).
describe('dms receivables', () => {
  it('prints the ageing per dealer with a totals row, and per region', async () => {
    const { code, stdout } = await run('receivables', 'ageing', '--as-of', '2026-11-20');
    expect(code).toBe(0);
    expect(stdout).toContain('Receivables ageing at the end of 2026-11-20, by partner');
    expect(stdout).toMatch(/^partner\s+open\s+current\s+1-30\s+31-60\s+61-90\s+over 90\s+outstanding\s+overdue\s+credit$/m);
    expect(stdout).toMatch(/^total EUR\s+\d+\s/m);
    const byRegion = await run('receivables', 'ageing', '--as-of', '2026-11-20', '--by', 'region');
    expect(byRegion.stdout).toMatch(/^region\s+open/m);
  });

  it('lists open invoices whose owed amounts add up to the ageing total', async () => {
    const ageing = (await run('receivables', 'ageing', '--as-of', '2026-11-20')).stdout;
    const open = await run('receivables', 'open', '--as-of', '2026-11-20');
    expect(open.code).toBe(0);
    expect(open.stdout).toMatch(/^invoice\s+order\s+shipment\s+dealer\s+invoiced\s+due\s+amount\s+settled\s+owed\s+days past due\s+bucket\s+next due$/m);
    const cents = (text: string) => Number(text.replaceAll(',', '').replace('.', ''));
    const owed = open.stdout
      .split('\n')
      .filter((l) => /\s(current|d1_30|d31_60|d61_90|over90)(\s+\d{4}-\d\d-\d\d [\d,]+\.\d\d EUR)?$/.test(l))
      .map((l) => cents(l.match(/([\d,]+\.\d\d) EUR\s+\S*\s*(current|d1_30|d31_60|d61_90|over90)(\s+\d{4}-\d\d-\d\d [\d,]+\.\d\d EUR)?$/)![1]!));
    const total = ageing.split('\n').find((l) => l.startsWith('total EUR'))!;
    const outstanding = [...total.matchAll(/([\d,]+\.\d\d) EUR/g)].map((m) => cents(m[1]!))[5]!;
    expect(owed.reduce((a, b) => a + b, 0)).toBe(outstanding);
  });

  it("reprints the ageing of a day from the event log, dealer by dealer and region by region, as the read model's", async () => {
    // The whole log (recorded by a time far ahead): what the read model prints today, line for line, on several days.
    const header = 'Receivables as of 2999-12-31T23:59:59.999Z, recomputed from the events recorded by then:\n';
    for (const args of [
      ['--as-of', '2026-09-30'],
      ['--as-of', '2026-11-20'],
      ['--as-of', '2026-11-20', '--by', 'region'],
      ['--as-of', '2026-11-20', '--partner', 'nordic-flow'],
      ['--as-of', '2026-11-20', '--region', 'north'],
    ]) {
      const fromTables = await run('receivables', 'ageing', ...args);
      const fromLog = await run('receivables', 'ageing', ...args, '--at', '2999-12-31');
      expect(fromLog.code, fromLog.stderr).toBe(0);
      expect(fromLog.stdout).toBe(`${header}${fromTables.stdout}`);
    }
    expect((await run('receivables', 'ageing', '--as-of', '2026-11-20')).stdout).toMatch(/^total EUR\s+[1-9]/m);
    // As of the log's first event: nothing was invoiced yet.
    const first = await run('receivables', 'ageing', '--as-of', '2026-11-20', '--position', '1');
    expect(first.stdout).toBe('Receivables as of position 1, recomputed from the events recorded by then:\nNothing owed at the end of 2026-11-20.\n');
    const badTime = await run('receivables', 'ageing', '--at', 'June');
    expect(badTime.code).toBe(64);
    expect(badTime.stderr).toContain('--at: "June" is not a time');
    expect((await run('receivables', 'open', '--at', '2026-06-30')).stderr).toContain('--at and --position recompute the ageing from the log');
  }, 600_000);

  it('lists the invoices past due with their dunning level and the levels the demo sent on its last day', async () => {
    const open = (await run('receivables', 'open', '--as-of', '2026-11-20')).stdout;
    const dunning = await run('receivables', 'dunning', '--as-of', '2026-11-20');
    expect(dunning.code).toBe(0);
    expect(dunning.stdout).toMatch(/^invoice\s+order\s+dealer\s+due\s+owed\s+days past due\s+level\s+levels of\s+next\s+sent$/m);
    const rows = dunning.stdout.split('\n').filter((l) => /\s[123] (reminder|second reminder|final notice)\s+default\s/.test(l));
    // One row per open invoice past due, each at the level its days reach, and the demo's date rules sent that level.
    expect(rows.length).toBe(open.split('\n').filter((l) => /\s(d1_30|d31_60|d61_90|over90)$/.test(l)).length);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const [days, level] = row
        .match(/\s(\d+)\s+([123]) (?:reminder|second reminder|final notice)\s/)!
        .slice(1)
        .map(Number);
      expect(level).toBe(days! >= 30 ? 3 : days! >= 15 ? 2 : 1);
      expect(row).toContain(`${level} on 2026-11-20`);
    }
  });

  it('prints DSO for a period and refuses bad flags with the usage', async () => {
    const dso = await run('receivables', 'dso', '--period', 'quarter', '--as-of', '2026-11-20');
    expect(dso.code).toBe(0);
    expect(dso.stdout).toContain('DSO from 2026-10-01 to 2026-11-20');
    expect(dso.stdout).toMatch(/^currency\s+receivables\s+net sales\s+days\s+DSO$/m);
    const bad = await run('receivables', 'dso', '--from', '2026-01-01');
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--from and --to go together');
    expect((await run('receivables', 'ageing', '--by', 'dealer')).stderr).toContain('--by must be partner or region');
  });
});

// `dms receivables pay|credit|apply|refund`: a dealer's payments across its orders (docs/receivables.md). Last, as it pays invoices.
describe("dms receivables: a dealer's payments and its credit", () => {
  it('pays every open invoice of a dealer from one payment, oldest due first, keeps the rest as credit and prints the account', async () => {
    // The most overdue dealer, and everything it owes.
    const ageing = (await run('receivables', 'ageing', '--as-of', '2999-12-31')).stdout.split('\n');
    const dealer = ageing[ageing.findIndex((l) => l.startsWith('partner')) + 2]!.split(' ')[0]!; // under the header and its rule
    const open = (await run('receivables', 'open', '--as-of', '2999-12-31', '--partner', dealer)).stdout;
    const dealersInvoices = open.split('\n').filter((l) => /\s(current|d1_30|d31_60|d61_90|over90)$/.test(l));
    expect(dealersInvoices.length).toBeGreaterThan(0);
    const cents = (text: string) => Number(text.replaceAll(',', '').replace('.', ''));
    const owed = dealersInvoices.map((l) => cents(l.match(/([\d,]+\.\d\d) EUR\s+\S*\s*(current|d1_30|d31_60|d61_90|over90)$/)![1]!)).reduce((a, b) => a + b, 0);

    expect((await run('receivables', 'pay', dealer, '--amount', '12.345')).stderr).toContain('--amount must be an amount such as 1250.00');
    const refused = await run('receivables', 'pay', dealer, '--amount', '10.00', '--invoices', 'no-such-invoice');
    expect(refused.stdout).toContain('Refused (INVOICE_NOT_OPEN)');

    const pay = await run('receivables', 'pay', dealer, '--amount', '1000000.00', '--reference', 'BANK-1', '--id', 'pay-cli-1');
    expect(pay.code, pay.stderr).toBe(0);
    const credit = 1_000_000_00 - owed;
    const money = (minor: number) => `${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} EUR`;
    expect(pay.stdout).toContain(`Payment pay-cli-1 of dealer ${dealer}: 1,000,000.00 EUR, ${money(credit)} kept as credit.`);
    expect(pay.stdout).toMatch(/^invoice\s+order\s+paid\s+discount$/m);
    expect(pay.stdout.split('\n').filter((l) => !l.startsWith('Credit now') && /^\S+\s+\S+\s+[\d,]+\.\d\d EUR/.test(l))).toHaveLength(dealersInvoices.length);
    const after = (await run('receivables', 'open', '--as-of', '2999-12-31', '--partner', dealer)).stdout;
    expect(after).toContain('No open invoices');

    const account = await run('receivables', 'credit', dealer);
    expect(account.stdout).toMatch(/^when\s+what\s+id\s+reference\s+amount\s+invoices paid\s+unapplied\s+credit after$/m);
    expect(account.stdout).toContain(`Credit now: ${money(credit)}.`);
    expect((await run('receivables', 'apply', dealer)).stdout).toContain('Refused (NOTHING_TO_APPLY)');
    const refund = await run('receivables', 'refund', dealer, '--amount', (credit / 100).toFixed(2));
    expect(refund.stdout).toContain('Credit now: 0.00 EUR.');
    expect((await run('receivables', 'credit')).stderr).toContain('dms receivables credit needs a dealer');
  }, 600_000);
});
