/**
 * The worked example of docs/receivables.md: this test reads its tables between the markers and computes every figure with
 * the domain's own functions (`ageReceivables`, `daysSalesOutstanding`, `creditHoldReason`, and the dunning rule
 * `overdueInvoiceNotifications` run on every day, each notification id raised once), so the document's figures are
 * what DMS computes. Change both together.
 */
import { describe, expect, it } from 'vitest';
import { docTable, minor } from '../../test/support/doc-tables';
import { ageReceivables, daysSalesOutstanding, outstandingOn, type Receivable } from '../kpis/receivables';
import { overdueInvoiceNotifications } from '../notifications/rules';
import { addDays, daysBetween } from '../shared/calendar';
import { formatMoney, money } from '../shared/money';
import { creditHoldReason, type OpenInvoice } from './credit-hold';
import { dunningLevel, dunningLevelOf } from './dunning';

const table = (name: string) => docTable('receivables.md', name);
const eur = (amountMinor: number) => money(amountMinor, 'EUR');

const invoices = table('invoices').map(([invoiceId, invoicedOn, dueOn, amount, entries]) => ({
  invoiceId: invoiceId!,
  receivable: {
    currency: 'EUR',
    invoicedOn: invoicedOn!,
    dueOn: dueOn!,
    invoicedMinor: minor(amount!),
    settlements: entries!
      .split(';')
      .filter((e) => e.trim() !== '')
      .map((e) => {
        const words = e.trim().split(' ');
        return { on: words.at(-2)!, amountMinor: minor(words.at(-1)!) };
      }),
  } satisfies Receivable,
}));

/** Runs the dunning rule on each day from `from` to `to`, raising each notification id once as the daily run does: what each day sends. */
const dun = (from: string, to: string) => {
  const raised = new Set<string>();
  const sent: string[][] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    for (const { invoiceId, receivable } of [...invoices].sort((a, b) => a.receivable.dueOn.localeCompare(b.receivable.dueOn))) {
      const owed = outstandingOn(receivable, day);
      if (owed === null || owed <= 0) continue;
      const due = overdueInvoiceNotifications(
        { invoiceId, orderId: invoiceId, partnerId: 'acme', region: 'north', dueOn: receivable.dueOn, owed: eur(owed) },
        day,
        `${day}T06:00:00.000Z`,
      ).filter((n) => !raised.has(n.notificationId));
      for (const n of due) raised.add(n.notificationId);
      if (due.length === 0) continue;
      const days = daysBetween(receivable.dueOn, day);
      const level = dunningLevel(dunningLevelOf(days))!;
      sent.push([
        day,
        invoiceId,
        receivable.dueOn,
        String(days),
        formatMoney(eur(owed)).replace(' EUR', ''),
        `${level.level} ${level.name.en}`,
        due.map((n) => (n.audience.kind === 'role' ? `sales (${n.audience.region})` : 'dealer')).join(', '),
      ]);
    }
  }
  return sent;
};

describe('docs/receivables.md worked example', () => {
  it.each(table('ageing'))('ages the invoices as of %s', (asOf, current, d1_30, d31_60, d61_90, over90, outstanding, overdue, open, overdueInvoices) => {
    const [figures] = ageReceivables(
      invoices.map((i) => i.receivable),
      asOf!,
    );
    expect(figures).toEqual({
      currency: 'EUR',
      buckets: {
        current: eur(minor(current!)),
        d1_30: eur(minor(d1_30!)),
        d31_60: eur(minor(d31_60!)),
        d61_90: eur(minor(d61_90!)),
        over90: eur(minor(over90!)),
      },
      outstanding: eur(minor(outstanding!)),
      overdue: eur(minor(overdue!)),
      openInvoices: Number(open),
      overdueInvoices: Number(overdueInvoices),
      creditBalance: eur(0),
    });
  });

  it.each(table('dso'))('computes DSO from %s to %s', (from, to, receivables, netSales, days, dso) => {
    const [figures] = ageReceivables(
      invoices.map((i) => i.receivable),
      to!,
    );
    expect(figures!.outstanding).toEqual(eur(minor(receivables!)));
    const invoiced = invoices
      .filter((i) => i.receivable.invoicedOn >= from! && i.receivable.invoicedOn <= to!)
      .reduce((a, i) => a + i.receivable.invoicedMinor, 0);
    // Credit notes are the settlements the table calls so; payments are not sales.
    const credited = table('invoices')
      .flatMap((row) => row[4]!.split(';').filter((e) => e.trim().startsWith('credit note')))
      .map((e) => e.trim().split(' '))
      .filter((w) => w.at(-2)! >= from! && w.at(-2)! <= to!)
      .reduce((a, w) => a + minor(w.at(-1)!), 0);
    expect(invoiced - credited).toBe(minor(netSales!));
    expect(daysBetween(from!, to!) + 1).toBe(Number(days));
    expect(daysSalesOutstanding({ receivables: figures!.outstanding, netSales: eur(invoiced - credited), days: Number(days) })).toBe(Number(dso));
  });

  it.each(table('credit-hold'))(
    'credit hold for an order placed on %s (days above %s, amount above %s): held %s',
    (placedOn, days, amount, held, oldest, overdue) => {
      const open: OpenInvoice[] = invoices.flatMap((i) => {
        const owed = outstandingOn(i.receivable, placedOn!);
        return owed !== null && owed > 0 ? [{ invoiceId: i.invoiceId, orderId: `order-${i.invoiceId}`, dueOn: i.receivable.dueOn, owed: eur(owed) }] : [];
      });
      const reason = creditHoldReason(
        { ...(days ? { daysOverdueAbove: Number(days) } : {}), ...(amount ? { overdueAmountAbove: eur(minor(amount)) } : {}) },
        open,
        placedOn!,
        'EUR',
      );
      expect(reason === null ? 'no' : 'yes').toBe(held);
      const overdueOpen = open.filter((i) => daysBetween(i.dueOn, placedOn!) > 0);
      expect(Math.max(...overdueOpen.map((i) => daysBetween(i.dueOn, placedOn!)))).toBe(Number(oldest));
      expect(overdueOpen.reduce((a, i) => a + i.owed.amountMinor, 0)).toBe(minor(overdue!));
      if (reason) expect(reason.details).toMatchObject({ oldestDaysPastDue: Number(oldest), overdueMinor: minor(overdue!) });
    },
  );

  it('dunning, run daily from the first invoice to 31 March, sends each level once, and nothing for the invoice paid on its due date', () => {
    expect(dun(invoices.map((i) => i.receivable.invoicedOn).sort()[0]!, '2026-03-31')).toEqual(table('dunning'));
  });

  it.each(table('dunning-late'))('dunning first run on %s sends only the level reached: %s', (day, sends) => {
    expect(
      dun(day!, day!)
        .map(([, invoiceId, , , , level]) => `${invoiceId} level ${level!.split(' ')[0]}`)
        .join(', '),
    ).toBe(sends);
  });
});
