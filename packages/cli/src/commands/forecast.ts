import type { DmsRuntime } from '@dms/projections';
import { type DemandForecastRow, demandForecast } from '@dms/projections';
import { renderBarChart } from '../ui/chart';
import { renderTable } from '../ui/table';

type Out = (line: string) => void;

export interface ForecastOptions {
  readonly sku?: string | undefined;
  readonly region?: string | undefined;
  /** First month forecast, YYYY-MM; default the current month. */
  readonly asOf?: string | undefined;
  readonly history?: number | undefined;
  readonly horizon?: number | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly now: () => Date;
}

const quantity = (x: number | null | undefined) => (x === null || x === undefined ? '' : Number.isInteger(x) ? String(x) : x.toFixed(1));

/** Demand history and forecast per SKU and region as a table; for a single series, also as a chart. */
export const stockForecast = async (runtime: DmsRuntime, o: ForecastOptions, out: Out): Promise<number> => {
  const asOf = o.asOf ?? o.now().toISOString().slice(0, 7);
  const page = await demandForecast(runtime.runner.db, {
    asOf,
    sku: o.sku,
    region: o.region,
    history: o.history,
    horizon: o.horizon,
    limit: o.limit,
    cursor: o.cursor,
  });
  if (page.items.length === 0) {
    out(`No demand in the ${o.history ?? 12} months before ${asOf}${o.sku ? ` for ${o.sku}` : ''}${o.region ? ` in ${o.region}` : ''}.`);
    return 0;
  }
  const last3 = (r: DemandForecastRow) =>
    r.history
      .slice(-3)
      .map((h) => h.quantity)
      .join(' ');
  out(
    renderTable(page.items, [
      { header: 'sku', value: (r) => r.sku },
      { header: 'region', value: (r) => r.region },
      { header: 'last 3 months', value: last3, align: 'right' },
      { header: `forecast from ${asOf}`, value: (r) => r.forecast.map((f) => quantity(f.quantity)).join(' '), align: 'right' },
      { header: 'method', value: (r) => r.method.replace(/_/g, ' ') },
      { header: '± (MAE)', value: (r) => quantity(r.meanAbsoluteError), align: 'right' },
      { header: 'projected', value: (r) => quantity(r.stock?.projected), align: 'right' },
      { header: 'days of cover', value: (r) => quantity(r.stock?.daysOfCover), align: 'right' },
      { header: 'lead time', value: (r) => (r.stock?.leadTimeDays == null ? '' : `${r.stock.leadTimeDays} d`), align: 'right' },
      { header: 'order now', value: (r) => (r.stock?.advice?.atRisk ? String(r.stock.advice.suggestedQuantity) : ''), align: 'right' },
    ]),
  );
  if (page.nextCursor) out(`… more: --cursor ${page.nextCursor}`);
  if (page.items.length === 1) {
    const r = page.items[0]!;
    out('');
    out(`${r.sku} in ${r.region}: units per month (▌ forecast)`);
    out(
      renderBarChart([
        ...r.history.map((h) => ({ label: h.month, value: h.quantity })),
        ...r.forecast.map((f) => ({ label: `${f.month} ▌`, value: f.quantity, display: quantity(f.quantity) })),
      ]),
    );
  }
  const atRisk = page.items.filter((r) => r.stock?.advice?.atRisk).length;
  out('');
  out(
    `${atRisk} of ${page.items.length} shown will run out before an order placed today arrives (lead-time demand plus safety stock above projected stock). ` +
      'Each series is forecast by the method that predicted its own recent months best.',
  );
  return 0;
};
