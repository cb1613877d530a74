import { useQuery } from '@tanstack/react-query';
import { Select, Space, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { digitsOf, minorToDecimal, moneyForChart } from '../../i18n/format';
import { ChartCard, type FigureColumn } from '../../shared/charts/ChartCard';
import { categoryLabel, orderStatusLabel } from '../../shared/labels';
import { addMonths } from './period';
import { trendRange, useSales } from './queries';

type SalesRow = Schemas['SalesReport']['rows'][number];
type Money = Schemas['Money'];

const csvMoney = (m: Money | null | undefined) => (m ? minorToDecimal(m.amountMinor, digitsOf(m.currency)) : null);

/** Net sales per month over the last twelve months, against the same months a year before. */
export const SalesTrendCard = ({ month }: { month: string }) => {
  const { t, f } = useI18n();
  const range = trendRange(month);
  const sales = useSales('month', range.from, range.to);
  const rows = useMemo(() => {
    const byMonth = new Map((sales.data?.rows ?? []).map((r) => [r.group.month ?? '', r]));
    return Array.from({ length: 12 }, (_, i) => {
      const m = addMonths(month, i - 11);
      return { month: m, current: byMonth.get(m), lastYear: byMonth.get(addMonths(m, -12)) };
    });
  }, [sales.data, month]);
  const currency = sales.data?.totals[0]?.currency ?? 'EUR';
  const zero = { amountMinor: 0, currency };
  const columns: FigureColumn<(typeof rows)[number]>[] = [
    { key: 'month', title: t('dashboard.monthColumn'), render: (r) => f.month(r.month), csv: (r) => r.month },
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
        xAxis: { type: 'category', data: rows.map((r) => f.month(r.month)) },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => f.number(v / 1000) + 'k' } },
        series: [
          { type: 'bar', name: t('dashboard.net'), data: rows.map((r) => moneyForChart(r.current?.net ?? zero)), barMaxWidth: 28 },
          { type: 'line', name: t('dashboard.netLastYear'), data: rows.map((r) => moneyForChart(r.lastYear?.net ?? zero)), smooth: true, symbolSize: 5 },
        ],
      }}
    />
  );
};

/** The chosen month's net sales by region, category, dealer or product, with shares; a bar chart or a ring. */
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
  const sales = useSales(dimension, month, month);
  const rows = useMemo(() => {
    const all = [...(sales.data?.rows ?? [])].sort((a, b) => b.net.amountMinor - a.net.amountMinor);
    return top ? all.slice(0, top) : all;
  }, [sales.data, top]);
  const name = (r: SalesRow) => {
    const id = r.group[dimension] ?? '';
    if (dimension === 'partner') return r.partnerName ?? id;
    if (dimension === 'product') return r.productName ?? id;
    if (dimension === 'category') return categoryLabel(t, id);
    return id;
  };
  const columns: FigureColumn<SalesRow>[] = [
    { key: 'name', title: t(`dashboard.dimensions.${dimension}`), render: name, csv: (r) => r.group[dimension] ?? '' },
    { key: 'net', title: t('dashboard.net'), align: 'right', render: (r) => f.money(r.net), csv: (r) => csvMoney(r.net) },
    { key: 'share', title: t('dashboard.share'), align: 'right', render: (r) => f.bps(r.shareBps), csv: (r) => r.shareBps },
    { key: 'orders', title: t('dashboard.orders'), align: 'right', render: (r) => f.number(r.orders), csv: (r) => r.orders },
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
      rowKey={(r) => r.group[dimension] ?? ''}
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
                  data: rows.map((r) => ({ name: name(r), value: moneyForChart(r.net) })),
                },
              ],
            }
          : {
              tooltip: { trigger: 'axis', ...tooltip },
              grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
              xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${f.number(v / 1000)}k` } },
              yAxis: { type: 'category', inverse: true, data: rows.map(name), axisLabel: { width: 110, overflow: 'truncate' } },
              series: [{ type: 'bar', name: t('dashboard.net'), data: rows.map((r) => moneyForChart(r.net)), barMaxWidth: 18 }],
            }
      }
    />
  );
};

const OPEN_STATUSES = ['placed', 'approved', 'confirmed', 'partially_shipped', 'shipped', 'delivered'];

/** The order backlog: orders not yet delivered, per status, with their value (from the orders-by-status report). */
export const BacklogCard = () => {
  const { t, f } = useI18n();
  const report = useQuery({ queryKey: ['orders-by-status'], queryFn: () => ok(api.GET('/reports/orders-by-status')), staleTime: 60_000 });
  const rows = useMemo(() => {
    const by = new Map<string, { status: string; orders: number; total: Money }>();
    for (const r of report.data?.rows ?? []) {
      if (!OPEN_STATUSES.includes(r.status)) continue;
      const e = by.get(r.status) ?? { status: r.status, orders: 0, total: { amountMinor: 0, currency: r.total.currency } };
      e.orders += r.orders;
      e.total = { amountMinor: e.total.amountMinor + r.total.amountMinor, currency: e.total.currency };
      by.set(r.status, e);
    }
    return OPEN_STATUSES.flatMap((s) => (by.has(s) ? [by.get(s)!] : []));
  }, [report.data]);
  return (
    <ChartCard
      testId="chart-backlog"
      title={t('dashboard.backlog')}
      loading={report.isPending}
      rows={rows}
      rowKey={(r) => r.status}
      csvName="order-backlog"
      columns={[
        { key: 'status', title: t('common.status'), render: (r) => orderStatusLabel(t, r.status), csv: (r) => r.status },
        { key: 'orders', title: t('dashboard.orders'), align: 'right', render: (r) => f.number(r.orders), csv: (r) => r.orders },
        { key: 'total', title: t('dashboard.value'), align: 'right', render: (r) => f.money(r.total), csv: (r) => csvMoney(r.total) },
      ]}
      option={{
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: rows.map((r) => orderStatusLabel(t, r.status)), axisLabel: { interval: 0, rotate: 20 } },
        yAxis: { type: 'value' },
        series: [{ type: 'bar', name: t('dashboard.orders'), data: rows.map((r) => r.orders), barMaxWidth: 32 }],
      }}
    />
  );
};

/** Stock at or below its reorder point, with what to order. */
export const StockAlertsCard = () => {
  const { t, f } = useI18n();
  const alerts = useQuery({ queryKey: ['stock-alerts'], queryFn: () => ok(api.GET('/stock/alerts', { params: { query: { limit: 50 } } })), staleTime: 60_000 });
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
  const all = useQuery({
    queryKey: ['forecast', 'all'],
    queryFn: () => ok(api.GET('/stock/forecast', { params: { query: { limit: 500 } } })),
    staleTime: 5 * 60_000,
  });
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
