import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../shared/calendar';
import { money } from '../shared/money';
import { allocatePayment, invoiceSchedule, invoicingBasis, type PayableInvoice, PaymentTerms } from './payment-terms';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const invoice = (invoiceId: string, dueOn: string, openMinor: number, extra: Partial<PayableInvoice> = {}): PayableInvoice => ({
  invoiceId,
  invoicedOn: addDays(dueOn, -30),
  dueOn,
  open: eur(openMinor),
  ...extra,
});
const ok = <T>(e: { _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: T }): T => {
  if (e._tag === 'Left') throw new Error(JSON.stringify(e.left));
  return e.right;
};

describe('payment terms', () => {
  it('accepts the terms agreements had before (net days only) and invoices them per order', () => {
    const terms = PaymentTerms.parse({ netDays: 30 });
    expect(invoicingBasis(terms)).toBe('perOrder');
  });

  it.each([
    [{ netDays: 30, earlyPayment: { days: 30, discountBps: 200 } }, 'must end before the net due date'],
    [
      {
        netDays: 60,
        instalments: [
          { shareBps: 5_000, offsetDays: 30 },
          { shareBps: 4_000, offsetDays: 60 },
        ],
      },
      'add up to 90.00 %, not 100 %',
    ],
    [
      {
        netDays: 60,
        instalments: [
          { shareBps: 5_000, offsetDays: 60 },
          { shareBps: 5_000, offsetDays: 30 },
        ],
      },
      'must fall due after instalment 1',
    ],
    [
      {
        netDays: 90,
        instalments: [
          { shareBps: 5_000, offsetDays: 30 },
          { shareBps: 5_000, offsetDays: 60 },
        ],
      },
      "must be the last instalment's offset (60)",
    ],
    [
      {
        netDays: 60,
        earlyPayment: { days: 10, discountBps: 200 },
        instalments: [
          { shareBps: 5_000, offsetDays: 30 },
          { shareBps: 5_000, offsetDays: 60 },
        ],
      },
      'not both',
    ],
    [{ netDays: 30, invoicing: 'perInvoice' }, 'invoicing'],
  ])('refuses inconsistent terms %j, saying what is wrong', (terms, message) => {
    const parsed = PaymentTerms.safeParse(terms);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error!.issues)).toContain(message);
  });

  it('given net 30, an invoice of 3 March is due on 2 April', () => {
    expect(invoiceSchedule({ netDays: 30 }, '2026-03-03', eur(500_00))).toEqual({
      dueOn: '2026-04-02',
      instalments: [{ dueOn: '2026-04-02', amount: eur(500_00) }],
    });
  });

  it('given 2/10 net 30, paying 98 % by the tenth day settles the invoice', () => {
    expect(invoiceSchedule({ netDays: 30, earlyPayment: { days: 10, discountBps: 200 } }, '2026-03-02', eur(1_234_57))).toEqual({
      dueOn: '2026-04-01',
      instalments: [{ dueOn: '2026-04-01', amount: eur(1_234_57) }],
      earlyPayment: { until: '2026-03-12', discount: eur(24_69), pay: eur(1_209_88) },
    });
  });

  it('given three instalments of a third, the odd cent goes to the earliest', () => {
    const thirds = { netDays: 90, instalments: [3_334, 3_333, 3_333].map((shareBps, i) => ({ shareBps, offsetDays: 30 * (i + 1) })) };
    expect(invoiceSchedule(thirds, '2026-01-31', eur(100_00)).instalments).toEqual([
      { dueOn: '2026-03-02', amount: eur(33_34) },
      { dueOn: '2026-04-01', amount: eur(33_33) },
      { dueOn: '2026-05-01', amount: eur(33_33) },
    ]);
  });

  const validTerms = fc.oneof(
    fc.record({ netDays: fc.integer({ min: 0, max: 365 }) }),
    fc
      .record({ netDays: fc.integer({ min: 1, max: 365 }), discountBps: fc.integer({ min: 1, max: 5_000 }), days: fc.nat(364) })
      .map(({ netDays, discountBps, days }) => ({ netDays, earlyPayment: { days: days % netDays, discountBps } })),
    fc
      .uniqueArray(fc.integer({ min: 0, max: 365 }), { minLength: 2, maxLength: 12 })
      .chain((offsets) =>
        fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: offsets.length, maxLength: offsets.length }).map((weights) => {
          const sorted = [...offsets].sort((a, b) => a - b);
          const total = weights.reduce((a, w) => a + w, 0);
          const shares = weights.map((w) => Math.max(1, Math.floor((w * 10_000) / total)));
          shares[0] = 10_000 - shares.slice(1).reduce((a, s) => a + s, 0);
          return { netDays: sorted.at(-1)!, instalments: sorted.map((offsetDays, i) => ({ offsetDays, shareBps: shares[i]! })) };
        }),
      )
      .filter((t) => t.instalments.every((i) => i.shareBps >= 1)),
  );
  const day = fc.integer({ min: 0, max: 3_650 }).map((n) => addDays('2024-01-01', n));

  it('property: terms give due dates deterministically, on or after the invoice date, adding up to the invoice to the cent', () => {
    fc.assert(
      fc.property(validTerms, day, fc.integer({ min: 0, max: 1_000_000_000_00 }), (raw, invoicedOn, amountMinor) => {
        const terms = PaymentTerms.parse(raw);
        const schedule = invoiceSchedule(terms, invoicedOn, eur(amountMinor));
        expect(invoiceSchedule(terms, invoicedOn, eur(amountMinor))).toEqual(schedule);
        expect(schedule.dueOn).toBe(addDays(invoicedOn, terms.netDays));
        expect(schedule.instalments.at(-1)!.dueOn).toBe(schedule.dueOn);
        expect(schedule.instalments.reduce((a, i) => a + i.amount.amountMinor, 0)).toBe(amountMinor);
        for (const [i, instalment] of schedule.instalments.entries()) {
          expect(instalment.dueOn >= invoicedOn).toBe(true);
          expect(instalment.amount.amountMinor).toBeGreaterThanOrEqual(0);
          if (i > 0) expect(instalment.dueOn > schedule.instalments[i - 1]!.dueOn).toBe(true);
        }
        if (schedule.earlyPayment) {
          expect(schedule.earlyPayment.until < schedule.dueOn).toBe(true);
          expect(schedule.earlyPayment.discount.amountMinor + schedule.earlyPayment.pay.amountMinor).toBe(amountMinor);
          expect(schedule.earlyPayment.pay.amountMinor).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});

describe('allocating a payment', () => {
  const open = [invoice('inv-b', '2026-03-10', 300_00), invoice('inv-a', '2026-02-10', 200_00), invoice('inv-c', '2026-04-10', 500_00)];

  it('given no instruction, pays the oldest due first and keeps the rest as credit', () => {
    expect(ok(allocatePayment(eur(600_00), '2026-03-20', open))).toEqual({
      allocations: [
        { invoiceId: 'inv-a', amount: eur(200_00) },
        { invoiceId: 'inv-b', amount: eur(300_00) },
        { invoiceId: 'inv-c', amount: eur(100_00) },
      ],
      unapplied: eur(0),
    });
    expect(ok(allocatePayment(eur(1_100_00), '2026-03-20', open)).unapplied).toEqual(eur(100_00));
  });

  it('given the payer names invoices, pays those in its order, with the amounts it states, and keeps the rest as credit', () => {
    expect(ok(allocatePayment(eur(600_00), '2026-03-20', open, [{ invoiceId: 'inv-c' }, { invoiceId: 'inv-a', amount: eur(50_00) }]))).toEqual({
      allocations: [
        { invoiceId: 'inv-c', amount: eur(500_00) },
        { invoiceId: 'inv-a', amount: eur(50_00) },
      ],
      unapplied: eur(50_00),
    });
  });

  it.each([
    [[{ invoiceId: 'inv-x' }], 'INVOICE_NOT_OPEN'],
    [[{ invoiceId: 'inv-a' }, { invoiceId: 'inv-a' }], 'DUPLICATE_INVOICE'],
    [[{ invoiceId: 'inv-a', amount: eur(200_01) }], 'OVER_ALLOCATION'],
    [
      [
        { invoiceId: 'inv-c', amount: eur(500_00) },
        { invoiceId: 'inv-b', amount: eur(200_00) },
      ],
      'OVER_ALLOCATION',
    ],
    [[{ invoiceId: 'inv-a', amount: money(100, 'USD') }], 'CURRENCY_MISMATCH'],
  ])('refuses an instruction naming %j (%s)', (named, code) => {
    const result = allocatePayment(eur(600_00), '2026-03-20', open, named);
    expect(result._tag).toBe('Left');
    expect(result._tag === 'Left' && result.left.code).toBe(code);
  });

  it('given 2/10 net 30, a payment of 98 % within ten days settles the invoice with the discount allowed; a day later it does not', () => {
    const early = [invoice('inv-1', '2026-04-01', 1_000_00, { invoicedOn: '2026-03-02', earlyPayment: { until: '2026-03-12', discount: eur(20_00) } })];
    expect(ok(allocatePayment(eur(980_00), '2026-03-12', early))).toEqual({
      allocations: [{ invoiceId: 'inv-1', amount: eur(980_00), discount: eur(20_00) }],
      unapplied: eur(0),
    });
    expect(ok(allocatePayment(eur(980_00), '2026-03-13', early))).toEqual({ allocations: [{ invoiceId: 'inv-1', amount: eur(980_00) }], unapplied: eur(0) });
    expect(ok(allocatePayment(eur(500_00), '2026-03-10', early))).toEqual({ allocations: [{ invoiceId: 'inv-1', amount: eur(500_00) }], unapplied: eur(0) });
  });

  it('never pays an invoice in another currency', () => {
    const mixed = [invoice('inv-usd', '2026-01-01', 100_00, { open: money(100_00, 'USD') }), ...open];
    expect(ok(allocatePayment(eur(100_00), '2026-03-20', mixed)).allocations).toEqual([{ invoiceId: 'inv-a', amount: eur(100_00) }]);
  });

  const invoices = fc
    .uniqueArray(
      fc.record({
        n: fc.integer({ min: 1, max: 8 }),
        due: fc.integer({ min: 0, max: 90 }),
        openMinor: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 100_000_000 })),
        discountBps: fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: undefined }),
        untilDays: fc.integer({ min: -10, max: 10 }),
      }),
      { selector: (i) => i.n, maxLength: 8 },
    )
    .map((rows) =>
      rows.map((r) =>
        invoice(`inv-${r.n}`, addDays('2026-01-01', r.due), r.openMinor, {
          ...(r.discountBps
            ? { earlyPayment: { until: addDays('2026-02-01', r.untilDays), discount: eur(Math.floor((r.openMinor * r.discountBps) / 10_000)) } }
            : {}),
        }),
      ),
    );
  const named = fc.option(
    fc.uniqueArray(fc.record({ n: fc.integer({ min: 1, max: 8 }), amountMinor: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }) }), {
      selector: (x) => x.n,
      minLength: 1,
      maxLength: 4,
    }),
    { nil: undefined },
  );

  it('property: no invoice gets more than is open on it; allocations plus unapplied are the payment to the cent; a refusal is for a reason', () => {
    fc.assert(
      fc.property(invoices, fc.integer({ min: 1, max: 200_000_000 }), named, (open, paymentMinor, names) => {
        const instruction = names?.map((x) => ({ invoiceId: `inv-${x.n}`, ...(x.amountMinor ? { amount: eur(x.amountMinor) } : {}) }));
        const result = allocatePayment(eur(paymentMinor), '2026-02-01', open, instruction);
        if (result._tag === 'Left') {
          expect(['INVOICE_NOT_OPEN', 'OVER_ALLOCATION']).toContain(result.left.code);
          return;
        }
        const { allocations, unapplied } = result.right;
        expect(unapplied.amountMinor).toBeGreaterThanOrEqual(0);
        expect(allocations.reduce((a, x) => a + x.amount.amountMinor, 0) + unapplied.amountMinor).toBe(paymentMinor);
        expect(new Set(allocations.map((a) => a.invoiceId)).size).toBe(allocations.length);
        for (const a of allocations) {
          const target = open.find((i) => i.invoiceId === a.invoiceId)!;
          expect(a.amount.amountMinor).toBeGreaterThan(0);
          expect(a.amount.amountMinor + (a.discount?.amountMinor ?? 0)).toBeLessThanOrEqual(target.open.amountMinor);
          // A discount only ever settles the invoice in full, within its period.
          if (a.discount) {
            expect(a.amount.amountMinor + a.discount.amountMinor).toBe(target.open.amountMinor);
            expect('2026-02-01' <= target.earlyPayment!.until).toBe(true);
          }
          const stated = instruction?.find((x) => x.invoiceId === a.invoiceId)?.amount;
          if (stated) expect(a.amount.amountMinor).toBeLessThanOrEqual(stated.amountMinor);
        }
        // Cash is left over only when every invoice it could go to is settled (or capped by the payer).
        if (unapplied.amountMinor > 0 && !instruction) {
          for (const i of open) {
            const a = allocations.find((x) => x.invoiceId === i.invoiceId);
            expect(a && a.amount.amountMinor + (a.discount?.amountMinor ?? 0)).toBe(i.open.amountMinor);
          }
        }
        // Oldest due first: an invoice is paid only when every invoice due before it is settled.
        if (!instruction) {
          const order = allocations.map((a) => open.find((i) => i.invoiceId === a.invoiceId)!.dueOn);
          expect([...order].sort()).toEqual(order);
        }
      }),
    );
  });
});
