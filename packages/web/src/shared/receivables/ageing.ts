import type { TFunction } from 'i18next';
import type { Money, Schemas } from '../../api/client';
import { digitsOf, type Formats, minorToDecimal, moneyForChart } from '../../i18n/format';
import type { FigureColumn } from '../charts/ChartCard';
import type { ChartOption } from '../charts/EChart';

/** The ageing's buckets by days past due, in order (docs/receivables.md#ageing). */
export const AGEING_BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'over90'] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

/** One row of an ageing (a dealer's or a region's), as GET /receivables/ageing and GET /kpis/receivables answer it. */
export type AgeingRow = Schemas['AgedReceivables']['rows'][number];

/** An amount as written to CSV: an exact decimal in major units, no currency sign. */
export const csvMoney = (m: Money | null | undefined) => (m ? minorToDecimal(m.amountMinor, digitsOf(m.currency)) : null);

/** The figures of an ageing's rows after the column naming the row: each bucket, overdue, outstanding. */
export const ageingFigures = (t: TFunction, f: Formats): FigureColumn<AgeingRow>[] => [
  ...AGEING_BUCKETS.map(
    (b): FigureColumn<AgeingRow> => ({
      key: b,
      title: t(`dashboard.ageingBuckets.${b}`),
      align: 'right',
      render: (r) => f.money(r.buckets[b]),
      csv: (r) => csvMoney(r.buckets[b]),
    }),
  ),
  { key: 'overdue', title: t('dashboard.overdue'), align: 'right', render: (r) => f.money(r.overdue), csv: (r) => csvMoney(r.overdue) },
  { key: 'outstanding', title: t('dashboard.outstanding'), align: 'right', render: (r) => f.money(r.outstanding), csv: (r) => csvMoney(r.outstanding) },
];

/** Each bucket's colour: from not yet due (green) to over 90 days (dark red), darker the older. */
const BUCKET_HEX: Record<AgeingBucket, string> = { current: '#2fa37a', d1_30: '#f2a93b', d31_60: '#e0772f', d61_90: '#d9534f', over90: '#8f1d21' };

/** An ageing's rows as stacked bars, one per row, a colour per bucket (current first). */
export const ageingChart = (t: TFunction, f: Formats, rows: readonly AgeingRow[], name: (r: AgeingRow) => string): ChartOption => ({
  tooltip: { trigger: 'axis', valueFormatter: (v) => f.number(Number(v)) },
  legend: { bottom: 0 },
  grid: { left: 8, right: 16, top: 8, bottom: 32, containLabel: true },
  xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${f.number(v / 1000)}k` } },
  yAxis: { type: 'category', inverse: true, data: rows.map(name), axisLabel: { width: 110, overflow: 'truncate' } },
  series: AGEING_BUCKETS.map((b) => ({
    type: 'bar' as const,
    stack: 'owed',
    name: t(`dashboard.ageingBuckets.${b}`),
    itemStyle: { color: BUCKET_HEX[b] },
    data: rows.map((r) => moneyForChart(r.buckets[b])),
    barMaxWidth: 16,
  })),
});
