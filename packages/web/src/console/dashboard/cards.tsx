import { useQuery } from '@tanstack/react-query';
import { Select, Space, Tag } from 'antd';
import { useMemo, useState } from 'react';
import type { Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { digitsOf, moneyForChart } from '../../i18n/format';
import { ChartCard, type FigureColumn } from '../../shared/charts/ChartCard';
import { categoryLabel } from '../../shared/labels';
import { type AgeingRow, ageingChart, ageingFigures, csvMoney } from '../../shared/receivables/ageing';
import { addMonths } from './period';
import { asOfFor, forecastQuery, stockAlertsQuery, trendRange, useKpiSales, useKpiSeries, useReceivables, useSales } from './queries';

/**
 * Net sales per month over the last twelve months, against the same months a year before. A month the report marks
 * partial (not ended by the API's today) is labelled "to <date>": its bar is a part of a month beside a whole one.
 */
export const SalesTrendCard = ({ month }: { month: string }) => {
  const { t, f } = useI18n();
  const range = trendRange(month);
  const sales = useSales('month', range.from, range.to);
  const rows = useMemo(() => {
    const byMonth = new Map((sales.data?.rows ?? []).map((r) => [r.group.month ?? '', r]));
    return Array.from({ length: 12 }, (_, i) => {
      const m = addMonths(month, i - 11);
      const current = byMonth.get(m);
      return { month: m, current, lastYear: byMonth.get(addMonths(m, -12)), partial: current?.partial === true };
    });
  }, [sales.data, month]);
  const monthLabel = (r: (typeof rows)[number]) =>
    r.partial ? `${f.month(r.month)} ${t('dashboard.toDate', { date: f.date(asOfFor(r.month)) })}` : f.month(r.month);
  const currency = sales.data?.totals[0]?.currency ?? 'EUR';
  const zero = { amountMinor: 0, currency };
  const columns: FigureColumn<(typeof rows)[number]>[] = [
    { key: 'month', title: t('dashboard.monthColumn'), render: monthLabel, csv: (r) => r.month },
    { key: 'net', title: t('dashboard.net'), align: 'right', render: (r) => f.money(r.current?.net ?? zero), csv: (r) => csvMoney(r.current?.net ?? zero) },
    {
      key: 'ly',
      title: t('dashboard.netLastYear'),
      align: 'right',
      render: (r) => f.money(r.lastYear?.net ?? zero),
      csv: (r) => csvMoney(r.lastYear?.net ?? zero),
    },
    { key: 'orders', title: t('dashboard.orders'), align: 'right', render: (r) => f.number(r.current?.orders ?? 0), csv: (r) => r.current?.orders ?? 0 },
  ];
  return (
    <ChartCard
      testId="chart-trend"
      title={t('dashboard.trend', { currency })}
      loading={sales.isPending}
      rows={rows}
      rowKey={(r) => r.month}
      csvName={`sales-by-month-${month}`}
      columns={columns}
      height={300}
      option={{
        tooltip: { trigger: 'axis', valueFormatter: (v) => f.money({ amountMinor: Math.round(Number(v) * 10 ** digitsOf(currency)), currency }) },
        legend: { bottom: 0 },
        grid: { left: 8, right: 8, top: 16, bottom: 36, containLabel: true },
        xAxis: { type: 'category', data: rows.map(monthLabel) },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => f.number(v / 1000) + 'k' } },
        series: [
          { type: 'bar', name: t('dashboard.net'), data: rows.map((r) => moneyForChart(r.current?.net ?? zero)), barMaxWidth: 28 },
          { type: 'line', name: t('dashboard.netLastYear'), data: rows.map((r) => moneyForChart(r.lastYear?.net ?? zero)), smooth: true, symbolSize: 5 },
        ],
      }}
    />
  );
};

type BreakdownRow = Schemas['SalesBreakdown']['rows'][number];

/**
 * The chosen month's net sales by region, category, dealer or product (GET /kpis/sales): this month against the month
 * before and the same month last year, with growth and shares; bars of the three, or a ring of this month's shares.
 */
export const SalesBreakdownCard = ({
  month,
  dimension,
  kind,
  top,
}: {
  month: string;
  dimension: 'region' | 'category' | 'partner' | 'product';
  kind: 'bar' | 'pie';
  top?: number;
}) => {
  const { t, f } = useI18n();
  const sales = useKpiSales(dimension, month);
  const rows = useMemo(() => {
    const all = [...(sales.data?.rows ?? [])].sort((a, b) => b.current.net.amountMinor - a.current.net.amountMinor);
    return top ? all.slice(0, top) : all;
  }, [sales.data, top]);
  const name = (r: BreakdownRow) => (dimension === 'category' ? categoryLabel(t, r.group) : (r.name ?? r.group));
  const columns: FigureColumn<BreakdownRow>[] = [
    { key: 'name', title: t(`dashboard.dimensions.${dimension}`), render: name, csv: (r) => r.group },
    { key: 'net', title: t('dashboard.net'), align: 'right', render: (r) => f.money(r.current.net), csv: (r) => csvMoney(r.current.net) },
    { key: 'previous', title: t('dashboard.netPrevious'), align: 'right', render: (r) => f.money(r.previous.net), csv: (r) => csvMoney(r.previous.net) },
    { key: 'lastYear', title: t('dashboard.netLastYear'), align: 'right', render: (r) => f.money(r.lastYear.net), csv: (r) => csvMoney(r.lastYear.net) },
    { key: 'growth', title: t('dashboard.vsPrevious'), align: 'right', render: (r) => f.bps(r.growthBps), csv: (r) => r.growthBps },
    { key: 'lyGrowth', title: t('dashboard.vsLastYear'), align: 'right', render: (r) => f.bps(r.lastYearGrowthBps), csv: (r) => r.lastYearGrowthBps },
    { key: 'share', title: t('dashboard.share'), align: 'right', render: (r) => f.bps(r.shareBps), csv: (r) => r.shareBps },
    { key: 'orders', title: t('dashboard.orders'), align: 'right', render: (r) => f.number(r.current.orders), csv: (r) => r.current.orders },
  ];
  const title = t(top ? 'dashboard.topBy' : 'dashboard.salesBy', { dimension: t(`dashboard.dimensions.${dimension}`), count: top ?? 0 });
  const currency = rows[0]?.currency ?? 'EUR';
  const tooltip = { valueFormatter: (v: unknown) => f.money({ amountMinor: Math.round(Number(v) * 10 ** digitsOf(currency)), currency }) };
  return (
    <ChartCard
      testId={`chart-${dimension}`}
      title={title}
      loading={sales.isPending}
      rows={rows}
      rowKey={(r) => `${r.group}.${r.currency}`}
      csvName={`sales-by-${dimension}-${month}`}
      columns={columns}
      option={
        kind === 'pie'
          ? {
              tooltip: { trigger: 'item', ...tooltip },
              legend: { bottom: 0, type: 'scroll' },
              series: [
                {
                  type: 'pie',
                  radius: ['42%', '70%'],
                  center: ['50%', '45%'],
                  label: { formatter: '{d}%' },
                  data: rows.map((r) => ({ name: name(r), value: moneyForChart(r.current.net) })),
                },
              ],
            }
          : {
              tooltip: { trigger: 'axis', ...tooltip },
              legend: { bottom: 0, type: 'scroll' },
              grid: { left: 8, right: 16, top: 8, bottom: 44, containLabel: true },
              xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${f.number(v / 1000)}k` } },
              yAxis: { type: 'category', inverse: true, data: rows.map(name), axisLabel: { width: 110, overflow: 'truncate' } },
              series: [
                { type: 'bar', name: t('dashboard.net'), data: rows.map((r) => moneyForChart(r.current.net)), barMaxWidth: 12 },
                { type: 'bar', name: t('dashboard.netPrevious'), data: rows.map((r) => moneyForChart(r.previous.net)), barMaxWidth: 12 },
                { type: 'bar', name: t('dashboard.netLastYear'), data: rows.map((r) => moneyForChart(r.lastYear.net)), barMaxWidth: 12 },
              ],
            }
      }
    />
  );
};

type Kpis = Schemas['KpiSummary'];
const BACKLOG_BUCKETS = ['d0_7', 'd8_14', 'd15_30', 'over30'] as const;

/** The order backlog at the period's end by age since approval (approved, not shipped in full): GET /kpis. */
export const BacklogCard = ({ kpis, loading }: { kpis: Kpis | undefined; loading: boolean }) => {
  const { t, f } = useI18n();
  const backlog = kpis?.backlog[0]?.current;
  const rows = BACKLOG_BUCKETS.map((bucket) => ({ bucket, ...(backlog?.ageing[bucket] ?? { orders: 0, value: null }) }));
  return (
    <ChartCard
      testId="chart-backlog"
      title={t('dashboard.backlog')}
      loading={loading}
      rows={rows}
      rowKey={(r) => r.bucket}
      csvName={`order-backlog-${kpis?.asOf ?? ''}`}
      columns={[
        { key: 'age', title: t('dashboard.age'), render: (r) => t(`dashboard.backlogBuckets.${r.bucket}`), csv: (r) => r.bucket },
        { key: 'orders', title: t('dashboard.orders'), align: 'right', render: (r) => f.number(r.orders), csv: (r) => r.orders },
        { key: 'value', title: t('dashboard.value'), align: 'right', render: (r) => f.money(r.value), csv: (r) => csvMoney(r.value) },
      ]}
      option={{
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: rows.map((r) => t(`dashboard.backlogBuckets.${r.bucket}`)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', name: t('dashboard.orders'), data: rows.map((r) => r.orders), barMaxWidth: 32 }],
      }}
    />
  );
};

/** What dealers owe at the period's end by days past due, per dealer, most overdue first: GET /kpis/receivables. */
export const ReceivablesCard = ({ month }: { month: string }) => {
  const { t, f } = useI18n();
  const receivables = useReceivables(month);
  const rows = (receivables.data?.rows ?? []).slice(0, 12);
  const name = (r: AgeingRow) => r.name ?? r.group;
  return (
    <ChartCard
      testId="chart-receivables"
      title={t('dashboard.receivables', { date: f.date(receivables.data?.asOf) })}
      loading={receivables.isPending}
      rows={rows}
      rowKey={(r) => `${r.group}.${r.currency}`}
      csvName={`receivables-${receivables.data?.asOf ?? month}`}
      columns={[{ key: 'partner', title: t('dashboard.dimensions.partner'), render: name, csv: (r) => r.group }, ...ageingFigures(t, f)]}
      height={320}
      option={ageingChart(t, f, rows, name)}
    />
  );
};

/** Fill rate, on-time delivery and review automation per month over the year to the chosen month: GET /kpis/series. */
export const RatesTrendCard = ({ month }: { month: string }) => {
  const { t, f } = useI18n();
  const fill = useKpiSeries('fill-rate', month);
  const onTime = useKpiSeries('on-time-delivery', month);
  const automation = useKpiSeries('review-automation', month);
  const rows = useMemo(() => {
    const byPeriod = new Map<string, { period: string; fill: number | null; onTime: number | null; automation: number | null }>();
    const row = (period: string) => {
      let r = byPeriod.get(period);
      if (!r) {
        r = { period, fill: null, onTime: null, automation: null };
        byPeriod.set(period, r);
      }
      return r;
    };
    if (fill.data?.metric === 'fill-rate') for (const p of fill.data.points) row(p.period).fill = p.orderFillBps;
    if (onTime.data?.metric === 'on-time-delivery') for (const p of onTime.data.points) row(p.period).onTime = p.onTimeBps;
    if (automation.data?.metric === 'review-automation') for (const p of automation.data.points) row(p.period).automation = p.automationBps;
    return [...byPeriod.values()].sort((a, b) => a.period.localeCompare(b.period));
  }, [fill.data, onTime.data, automation.data]);
  const percent = (bps: number | null) => (bps === null ? null : bps / 100);
  const series = [
    { key: 'fill', label: t('dashboard.fillRate') },
    { key: 'onTime', label: t('dashboard.onTime') },
    { key: 'automation', label: t('dashboard.automation') },
  ] as const;
  return (
    <ChartCard
      testId="chart-rates"
      title={t('dashboard.rates')}
      loading={fill.isPending || onTime.isPending || automation.isPending}
      rows={rows}
      rowKey={(r) => r.period}
      csvName={`rates-by-month-${month}`}
      columns={[
        { key: 'month', title: t('dashboard.monthColumn'), render: (r) => f.month(r.period), csv: (r) => r.period },
        ...series.map(
          (s): FigureColumn<(typeof rows)[number]> => ({ key: s.key, title: s.label, align: 'right', render: (r) => f.bps(r[s.key]), csv: (r) => r[s.key] }),
        ),
      ]}
      option={{
        tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '–' : `${f.number(Number(v), 1)} %`) },
        legend: { bottom: 0 },
        grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
        xAxis: { type: 'category', data: rows.map((r) => f.month(r.period)) },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: (v: number) => `${v} %` } },
        series: series.map((s) => ({ type: 'line' as const, name: s.label, data: rows.map((r) => percent(r[s.key])), connectNulls: true, symbolSize: 5 })),
      }}
    />
  );
};

/** Stock at or below its reorder point, with what to order. */
export const StockAlertsCard = () => {
  const { t, f } = useI18n();
  const alerts = useQuery(stockAlertsQuery);
  return (
    <ChartCard
      testId="chart-alerts"
      title={t('dashboard.stockAlerts', { count: alerts.data?.items.length ?? 0 })}
      loading={alerts.isPending}
      rows={alerts.data?.items ?? []}
      rowKey={(r) => `${r.warehouseId}.${r.sku}`}
      csvName="stock-alerts"
      columns={[
        { key: 'wh', title: t('stock.warehouse'), render: (r) => r.warehouseName, csv: (r) => r.warehouseId },
        { key: 'sku', title: t('stock.product'), render: (r) => r.productName ?? r.sku, csv: (r) => r.sku },
        { key: 'projected', title: t('stock.projected'), align: 'right', render: (r) => f.number(r.projected), csv: (r) => r.projected },
        { key: 'min', title: t('stock.reorderPoint'), align: 'right', render: (r) => f.number(r.reorderPolicy?.min), csv: (r) => r.reorderPolicy?.min ?? null },
        { key: 'suggested', title: t('stock.suggested'), align: 'right', render: (r) => f.number(r.suggestedOrderQty), csv: (r) => r.suggestedOrderQty },
      ]}
      option={{
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        grid: { left: 8, right: 16, top: 8, bottom: 32, containLabel: true },
        xAxis: { type: 'value' },
        yAxis: { type: 'category', inverse: true, data: (alerts.data?.items ?? []).map((r) => `${r.sku} · ${r.warehouseId}`) },
        series: [
          { type: 'bar', name: t('stock.projected'), data: (alerts.data?.items ?? []).map((r) => r.projected) },
          { type: 'bar', name: t('stock.reorderPoint'), data: (alerts.data?.items ?? []).map((r) => r.reorderPolicy?.min ?? 0) },
        ],
      }}
    />
  );
};

/** Demand history and forecast for one SKU in one region, with days of cover and the advice. */
export const StockForecastCard = () => {
  const { t, f } = useI18n();
  const all = useQuery(forecastQuery);
  const items = all.data?.items ?? [];
  const [choice, setChoice] = useState<{ sku?: string; region?: string }>({});
  const at = items.find((i) => i.stock?.advice?.atRisk) ?? items[0];
  const sku = choice.sku ?? at?.sku;
  const region = choice.region ?? at?.region;
  const item = items.find((i) => i.sku === sku && i.region === region);
  const rows = [
    ...(item?.history ?? []).map((h) => ({ ...h, kind: 'history' as const })),
    ...(item?.forecast ?? []).map((h) => ({ ...h, kind: 'forecast' as const })),
  ];
  const skus = [...new Set(items.map((i) => i.sku))].sort();
  const regions = [...new Set(items.map((i) => i.region))].sort();
  return (
    <ChartCard
      testId="chart-forecast"
      title={t('dashboard.forecast')}
      loading={all.isPending}
      rows={rows}
      rowKey={(r) => `${r.kind}-${r.month}`}
      csvName={`forecast-${sku}-${region}`}
      extra={
        <Space wrap>
          <Select
            size="small"
            showSearch
            value={sku}
            onChange={(v) => setChoice({ sku: v, region })}
            options={skus.map((s) => ({ value: s, label: s }))}
            aria-label={t('stock.product')}
            className="filter-select"
          />
          <Select
            size="small"
            value={region}
            onChange={(v) => setChoice({ sku, region: v })}
            options={regions.map((r) => ({ value: r, label: r }))}
            aria-label={t('orders.region')}
            className="filter-select"
          />
          {item?.stock && (
            <Tag color={item.stock.advice?.atRisk ? 'red' : 'green'}>
              {t('dashboard.daysOfCover', { days: item.stock.daysOfCover === null ? '∞' : f.number(item.stock.daysOfCover) })}
            </Tag>
          )}
        </Space>
      }
      columns={[
        { key: 'month', title: t('dashboard.monthColumn'), render: (r) => f.month(r.month), csv: (r) => r.month },
        { key: 'kind', title: t('dashboard.kind'), render: (r) => t(`dashboard.${r.kind}`), csv: (r) => r.kind },
        { key: 'qty', title: t('common.quantity'), align: 'right', render: (r) => f.number(r.quantity), csv: (r) => r.quantity },
      ]}
      option={{
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
        xAxis: { type: 'category', data: rows.map((r) => f.month(r.month)) },
        yAxis: { type: 'value' },
        series: [
          { type: 'bar', name: t('dashboard.history'), data: rows.map((r) => (r.kind === 'history' ? r.quantity : null)), barMaxWidth: 24 },
          { type: 'line', name: t('dashboard.forecast'), data: rows.map((r) => (r.kind === 'forecast' ? r.quantity : null)), lineStyle: { type: 'dashed' } },
        ],
      }}
    />
  );
};
