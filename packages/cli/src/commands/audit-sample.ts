import { writeFileSync } from 'node:fs';
import { type AsOf, drawSample } from '@dms/eventstore';
import { type DmsRuntime, salesByPartnerAsOf } from '@dms/projections';
import { UsageError } from '../command';
import { money } from '../format';
import { renderTable } from '../ui/table';

type Out = (line: string) => void;

/** Checks the sample flags before anything opens. */
export const readSampleArgs = (flags: { period?: string | undefined; seed?: string | undefined; orders: number }) => {
  if (!flags.period || !/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/.test(flags.period))
    throw new UsageError(`dms audit sample needs --period as a month (2026-07) or a quarter (2026-Q3)${flags.period ? `, not "${flags.period}"` : ''}.`);
  if (!flags.seed) throw new UsageError('dms audit sample needs --seed: whoever re-draws the sample needs the same one.');
  if (flags.orders < 1) throw new UsageError('dms audit sample: --orders must be at least 1.');
  return { period: flags.period, seed: flags.seed, orders: flags.orders };
};

/**
 * `dms audit sample`: a reproducible sample of the orders placed in a period, each with its history and the state and
 * status after every step, its invoice, payment, return and credit-note trail, and its revenue split. `--out` writes it
 * all as JSON (the states at each step included). Exit 2 when a sampled order's hash chain is broken.
 */
export const auditSample = async (
  runtime: DmsRuntime,
  args: ReturnType<typeof readSampleArgs>,
  options: { out?: string | undefined },
  out: Out,
): Promise<number> => {
  const sample = await drawSample(runtime.store, args);
  out(
    `${sample.population} orders placed ${sample.from} to ${sample.to} (${sample.period}); drawn ${sample.orders.length} with seed "${sample.seed}": the lowest SHA-256(seed + "\\n" + orderId).`,
  );
  out(
    `Anyone re-draws it: dms audit sample --orders ${sample.requested} --period ${sample.period} --seed ${sample.seed} (store up to position ${sample.upToPosition ?? '-'}).`,
  );
  for (const order of sample.orders) {
    out('');
    out(
      `Order ${order.orderId} of ${order.partnerId}, placed ${order.placedAt} (rank ${order.rank.slice(0, 12)}), ${order.verified ? 'hash chains verified' : 'HASH CHAIN BROKEN'}`,
    );
    out(
      renderTable(order.steps, [
        { header: 'v', value: (s) => s.entry.streamVersion, align: 'right' },
        { header: 'recorded', value: (s) => s.entry.recordedAt.replace('T', ' ').slice(0, 19) },
        { header: 'event', value: (s) => s.entry.type },
        { header: 'by', value: (s) => `${s.entry.actor.id} (${s.entry.actor.role})` },
        { header: 'status after', value: (s) => s.status ?? '' },
      ]),
    );
    if (order.trail.length > 0)
      out(
        renderTable(order.trail, [
          { header: 'money', value: (t) => t.type },
          { header: 'document', value: (t) => t.document },
          { header: 'on', value: (t) => t.at.slice(0, 10) },
          { header: 'amount', value: (t) => (t.amount ? money(t.amount) : ''), align: 'right' },
          { header: 'by', value: (t) => t.by },
        ]),
      );
    for (const split of order.revenueSplit) {
      const d = split.data as {
        source: { kind: string; id: string };
        amount: { amountMinor: number; currency: string };
        lines: { partyId: string; role: string; amount: { amountMinor: number; currency: string } }[];
      };
      out(
        `  revenue split on ${d.source.kind} ${d.source.id}: ${money(d.amount)} = ${d.lines.map((l) => `${l.role} ${l.partyId} ${money(l.amount)}`).join(' + ')}`,
      );
    }
  }
  if (options.out) {
    writeFileSync(options.out, `${JSON.stringify(sample, null, 1)}\n`);
    out('');
    out(`Written to ${options.out}: every step's state, the trail and the splits, as JSON.`);
  }
  return sample.orders.every((o) => o.verified) ? 0 : 2;
};

/**
 * `dms audit sales --at TIME [--by month|quarter|year]`: sales by dealer and period as of a moment, recomputed from the
 * event log (the orders folded by the domain from the events recorded by then), as the sales report printed them then.
 */
export const auditSales = async (runtime: DmsRuntime, asOf: AsOf, by: 'month' | 'quarter' | 'year', out: Out): Promise<number> => {
  const rows = await salesByPartnerAsOf(runtime.store, asOf, by);
  out(
    `Sales by dealer and ${by} as of ${[asOf.at ? asOf.at.toISOString() : null, asOf.position !== undefined ? `position ${asOf.position}` : null].filter(Boolean).join(' and ') || 'now'}, recomputed from the events recorded by then:`,
  );
  if (rows.length === 0) {
    out('No sales by then.');
    return 0;
  }
  out(
    renderTable(rows, [
      { header: 'dealer', value: (r) => r.partnerId },
      { header: by, value: (r) => r.period },
      { header: 'orders', value: (r) => r.figures.orders, align: 'right' },
      { header: 'ordered qty', value: (r) => r.figures.orderedQty, align: 'right' },
      { header: 'ordered', value: (r) => money(r.figures.ordered), align: 'right' },
      { header: 'credited', value: (r) => money(r.figures.credited), align: 'right' },
      { header: 'net', value: (r) => money(r.figures.net), align: 'right' },
      { header: 'invoiced', value: (r) => money(r.figures.invoiced), align: 'right' },
      { header: 'paid', value: (r) => money(r.figures.paid), align: 'right' },
    ]),
  );
  return 0;
};
