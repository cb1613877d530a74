import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DmsEvent } from '../registry';
import { money } from '../shared/money';
import { type FactSource, factsOf, memoryFactContext, type PerformanceFact } from './facts';
import type { Goal } from './goals';
import { measurePeriod } from './measure';
import { recommend } from './recommend';
import { computeScorecard, DEFAULT_SCORECARD_TEMPLATE } from './scorecard';

/**
 * The worked example of docs/performance.md: dealer acme's March 2026, every figure of the document checked here.
 * Events are fed in order with positions 1, 2, 3...; March closes at the position of its SettlementStatementClosed.
 */
const eur = (major: number) => money(Math.round(major * 100), 'EUR');
const dealer = { id: 'acme.buyer', role: 'dealer' as const, partnerId: 'acme' };
const sales = { id: 'anna.sales', role: 'sales' as const };

type Step = [DmsEvent, role?: string];
const line = (lineNo: number, sku: string, quantity: number, unit: number) => ({
  lineNo,
  sku,
  quantity,
  unitPrice: eur(unit),
  discountBps: 0,
  netAmount: eur(unit * quantity),
});
const placed = (orderId: string, at: string, lines: ReturnType<typeof line>[]): DmsEvent => ({
  type: 'OrderPlaced',
  data: {
    orderId,
    partnerId: 'acme',
    region: 'north',
    tier: 'silver',
    currency: 'EUR',
    lines,
    total: eur(lines.reduce((a, l) => a + l.netAmount.amountMinor / 100, 0)),
    placedAt: at,
  },
});
const approved = (orderId: string, at: string): Step => [{ type: 'OrderApproved', data: { orderId, approvedAt: at } }, 'system'];
const delivered = (orderId: string, at: string, quantity: number): DmsEvent => ({
  type: 'ShipmentDelivered',
  data: { orderId, shipmentId: `${orderId}-S1`, lines: [{ lineNo: 1, quantity }], deliveredAt: at, fullyDelivered: true },
});
const invoiced = (orderId: string, at: string, amount: number, dueDate: string): DmsEvent => ({
  type: 'OrderInvoiced',
  data: { orderId, invoiceId: `INV-${orderId}`, amount: eur(amount), invoicedAt: at, dueDate },
});
const paid = (orderId: string, at: string, amount: number): DmsEvent => ({
  type: 'PaymentRecorded',
  data: { orderId, paymentId: `${orderId}-P`, amount: eur(amount), paidAt: at, method: 'bank_transfer', outstanding: eur(0) },
});
const posted = (messageId: string, at: string, author: typeof dealer | typeof sales): DmsEvent => ({
  type: 'MessagePosted',
  data: { threadId: 'th-1', messageId, seq: Number(messageId.slice(1)), author, body: 'message', attachments: [], postedAt: at },
});
const closed = (period: string, at: string): DmsEvent => ({
  type: 'SettlementStatementClosed',
  data: {
    partnerId: 'acme',
    period,
    rebates: [],
    volume: eur(0),
    totals: { revenueShare: eur(0), jointMarketing: eur(0), penalties: eur(0), rebates: eur(0), total: eur(0) },
    lineCount: 0,
    closedAt: at,
  },
});

export const WORKED_EXAMPLE: Step[] = [
  [
    {
      type: 'ProductRegistered',
      data: { sku: 'PMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(800), registeredAt: '2026-01-01T00:00:00Z' },
    },
  ],
  [
    {
      type: 'ProductRegistered',
      data: { sku: 'VLV-1', name: 'Valve', category: 'valves', unit: 'each', listPrice: eur(100), registeredAt: '2026-01-01T00:00:00Z' },
    },
  ],
  // February: two orders, invoiced, due in March.
  [placed('SO-0', '2026-02-02T09:00:00Z', [line(1, 'VLV-1', 50, 100)])],
  approved('SO-0', '2026-02-02T09:00:00Z'),
  [invoiced('SO-0', '2026-02-10T10:00:00Z', 5_000, '2026-03-12')],
  [placed('SO-00', '2026-02-12T09:00:00Z', [line(1, 'VLV-1', 40, 100)])],
  approved('SO-00', '2026-02-12T09:00:00Z'),
  [invoiced('SO-00', '2026-02-20T10:00:00Z', 4_000, '2026-03-22')],
  [closed('2026-02', '2026-03-03T08:00:00Z')],
  // March.
  [{ type: 'ThreadOpened', data: { threadId: 'th-1', partnerId: 'acme', subject: 'Spring campaign', openedBy: sales, openedAt: '2026-03-03T09:00:00Z' } }],
  [posted('m1', '2026-03-03T09:00:00Z', sales)],
  [posted('m2', '2026-03-03T13:30:00Z', dealer)],
  [placed('SO-1', '2026-03-02T09:00:00Z', [line(1, 'PMP-1', 10, 800), line(2, 'VLV-1', 40, 100)])],
  approved('SO-1', '2026-03-02T09:00:00Z'),
  [delivered('SO-1', '2026-03-06T15:00:00Z', 50)],
  [invoiced('SO-1', '2026-03-07T10:00:00Z', 12_000, '2026-04-06')],
  [placed('SO-2', '2026-03-10T09:00:00Z', [line(1, 'VLV-1', 95, 100)])],
  [
    {
      type: 'OrderQueuedForReview',
      data: { orderId: 'SO-2', reasons: [{ code: 'CREDIT_LIMIT_EXCEEDED', message: 'over' }], queuedAt: '2026-03-10T09:00:00Z' },
    },
  ],
  [{ type: 'OrderApproved', data: { orderId: 'SO-2', approvedAt: '2026-03-10T11:00:00Z' } }, 'sales'],
  [paid('SO-0', '2026-03-11T10:00:00Z', 5_000)],
  [delivered('SO-2', '2026-03-14T15:00:00Z', 95)],
  [invoiced('SO-2', '2026-03-15T10:00:00Z', 9_500, '2026-04-14')],
  [posted('m3', '2026-03-16T10:00:00Z', sales)],
  [posted('m4', '2026-03-17T10:00:00Z', dealer)],
  [
    {
      type: 'GoodsReturned',
      data: {
        orderId: 'SO-1',
        returnId: 'SO-1-R1',
        lines: [{ lineNo: 1, sku: 'PMP-1', quantity: 2, creditAmount: eur(1_600) }],
        reason: 'Damaged',
        returnedAt: '2026-03-20T10:00:00Z',
      },
    },
  ],
  [{ type: 'CreditNoteIssued', data: { orderId: 'SO-1', creditNoteId: 'CN-1', returnId: 'SO-1-R1', amount: eur(1_600), issuedAt: '2026-03-20T10:00:00Z' } }],
  [placed('SO-3', '2026-03-25T09:00:00Z', [line(1, 'PMP-1', 3, 1_000)])],
  approved('SO-3', '2026-03-25T09:00:00Z'),
  [paid('SO-00', '2026-03-28T10:00:00Z', 2_000)],
  [closed('2026-03', '2026-04-03T08:00:00Z')],
];

export const exampleFacts = (steps: readonly Step[] = WORKED_EXAMPLE): { facts: PerformanceFact[]; closeOf: Map<string, bigint> } => {
  const context = memoryFactContext();
  const facts: PerformanceFact[] = [];
  const closeOf = new Map<string, bigint>();
  steps.forEach(([event, role], i) => {
    const source: FactSource = { type: event.type, data: event.data, position: BigInt(i + 1), actorRole: role ?? 'sales' };
    if (event.type === 'SettlementStatementClosed') closeOf.set(event.data.period, source.position);
    facts.push(...factsOf(source, context));
  });
  return { facts, closeOf };
};

export const EXAMPLE_GOALS: Goal[] = [
  { kpi: 'sales_value', target: eur(20_000) },
  { kpi: 'sales_value', category: 'pumps', target: eur(8_000) },
  { kpi: 'dso', target: 30 },
  { kpi: 'return_rate', target: 200 },
];

const measureMarch = () => {
  const { facts, closeOf } = exampleFacts();
  return measurePeriod({
    partnerId: 'acme',
    period: '2026-03',
    cutoff: closeOf.get('2026-03')!,
    currency: 'EUR',
    facts,
    planned: eur(20_000).amountMinor,
    categories: ['pumps'],
  });
};

describe('the worked example of docs/performance.md', () => {
  it('measures March', () => {
    const values = Object.fromEntries(measureMarch().map((m) => [m.category ? `${m.kpi}:${m.category}` : m.kpi, m.value]));
    expect(values).toEqual({
      sales_value: 1_990_000, // 12,000.00 + 9,500.00 − 1,600.00
      sales_volume: 143, // 50 + 95 − 2
      assortment: 2,
      growth_previous: 12_111, // (19,900 − 9,000) / 9,000
      growth_last_year: null,
      on_time_payment: 5_000, // SO-0 paid on time, SO-00 not
      dso: 34.1, // 21,900.00 owed × 31 days / 19,900.00
      overdue_share: 913, // 2,000.00 of 21,900.00
      return_rate: 138, // 2 of 145 units
      review_pass_rate: 6_667, // 2 of 3 orders
      breaches: 0,
      response_time: 855, // median of 270 and 1440 minutes
      forecast_accuracy: 7_750, // 24,500.00 ordered against 20,000.00 planned
      'sales_value:pumps': 640_000,
      'sales_volume:pumps': 8,
    });
  });

  it('scores March with the standard template: 74.93, grade B', () => {
    const card = computeScorecard({ template: DEFAULT_SCORECARD_TEMPLATE, goals: EXAMPLE_GOALS, measurements: measureMarch(), period: '2026-03' });
    expect(card.goals.map((g) => [g.kpi, g.category ?? null, g.attainmentBps])).toEqual([
      ['sales_value', null, 9_950],
      ['sales_value', 'pumps', 8_000],
      ['dso', null, 8_798],
      ['return_rate', null, 10_000],
    ]);
    expect(Object.fromEntries(card.criteria.map((c) => [c.criterionId, c.scoreBps]))).toEqual({
      sales: 9_950,
      'on-time-payment': 0,
      dso: 9_089,
      returns: 9_578,
      review: 4_168,
      breaches: 10_000,
      response: 7_670,
      planning: 6_875,
    });
    expect([card.scoreBps, card.grade]).toEqual([7_493, 'B']);
    expect(
      recommend({ period: '2026-03', grade: card.grade, previous: { period: '2026-02', grade: 'B' }, tier: 'silver', ladder: ['silver', 'gold'] }),
    ).toEqual({
      kind: 'keep_tier',
      fromTier: 'silver',
      reason: 'Keep tier silver: grade B in 2026-03 after B in 2026-02.',
    });
  });

  it('counts a credit note recorded after March closed, but dated in March, in April', () => {
    const late: Step = [
      { type: 'CreditNoteIssued', data: { orderId: 'SO-2', creditNoteId: 'CN-2', returnId: 'SO-2-R1', amount: eur(500), issuedAt: '2026-03-31T10:00:00Z' } },
    ];
    const { facts, closeOf } = exampleFacts([...WORKED_EXAMPLE, late, [closed('2026-04', '2026-05-04T08:00:00Z')]]);
    const sales = (period: string) =>
      measurePeriod({ partnerId: 'acme', period, cutoff: closeOf.get(period)!, currency: 'EUR', facts }).find((m) => m.kpi === 'sales_value')!.value;
    expect([sales('2026-03'), sales('2026-04')]).toEqual([1_990_000, -50_000]);
  });
});

describe('docs/performance.md', () => {
  // The worked example's tables, read back from the document: every figure there must be what the domain computes.
  const doc = readFileSync(fileURLToPath(new URL('../../../../docs/performance.md', import.meta.url)), 'utf8');
  const example = doc.slice(doc.indexOf('## Worked example'));
  /** The body rows of the table under `header`, as cells. */
  const rows = (header: string) => {
    const lines = example.split('\n');
    const start = lines.indexOf(header) + 2;
    expect(start).toBeGreaterThan(1);
    const end = lines.findIndex((l, i) => i >= start && !l.startsWith('|'));
    return lines.slice(start, end).map((l) => l.split('|').map((c) => c.trim()));
  };
  const amount = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const percent = (bps: number) => `${(bps / 100).toFixed(2)} %`;

  it('shows the KPIs of the worked example as measured', () => {
    const measured = new Map(measureMarch().map((m) => [m.category ? `${m.kpi} (${m.category})` : m.kpi, m.value]));
    const shown = rows('| KPI | value | how |');
    expect(shown.length).toBeGreaterThanOrEqual(10);
    for (const [, kpi, value] of shown) {
      expect(measured.has(kpi!), `${kpi} is measured`).toBe(true);
      const v = measured.get(kpi!)!;
      const expected = kpi!.startsWith('sales_value')
        ? amount(v!)
        : kpi === 'dso'
          ? `${v} days`
          : kpi === 'response_time'
            ? `${v} minutes`
            : ['sales_volume', 'assortment', 'breaches'].includes(kpi!)
              ? String(v)
              : percent(v!);
      expect(`${kpi}: ${value}`).toBe(`${kpi}: ${expected}`);
    }
  });

  it('shows the criteria, the weighted score and the grade as scored', () => {
    const card = computeScorecard({ template: DEFAULT_SCORECARD_TEMPLATE, goals: EXAMPLE_GOALS, measurements: measureMarch(), period: '2026-03' });
    const shown = rows('| criterion | weight | score | how |');
    expect(shown.map(([, id, weight, score]) => [id, weight, score])).toEqual(
      card.criteria.map((c) => [c.criterionId, `${c.weightBps / 100} %`, (c.scoreBps! / 100).toFixed(2)]),
    );
    expect(example).toContain(`Weighted score **${(card.scoreBps! / 100).toFixed(2)}**, grade **${card.grade}**`);
  });
});
