import { useQuery } from '@tanstack/react-query';
import { Button, type TableColumnsType, type TableProps } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { ChartCard, type FigureColumn } from '../../shared/charts/ChartCard';
import { GradeTag, type Scorecard, scoreOf } from '../../shared/performance/ReviewDetails';
import { useCursorList } from '../../shared/useCursorList';
import { useUrlFilters } from '../../shared/useUrlFilters';
import { ListPage } from '../ListPage';

const GRADE_HEX: Record<string, string> = { A: '#237804', B: '#0958d9', C: '#ad6800', D: '#cf1322' };
const SORTABLE = ['score', 'rankInRegion', 'rankInTier', 'sales', 'dealer'] as const;
type SortKey = (typeof SORTABLE)[number];

const nullsLast = (a: number | null, b: number | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a - b);
const COMPARE: Record<SortKey, (a: Scorecard, b: Scorecard) => number> = {
  score: (a, b) => nullsLast(a.scoreBps, b.scoreBps),
  rankInRegion: (a, b) => nullsLast(a.rankInRegion, b.rankInRegion),
  rankInTier: (a, b) => nullsLast(a.rankInTier, b.rankInTier),
  sales: (a, b) => nullsLast(a.salesAttainmentBps, b.salesAttainmentBps),
  dealer: (a, b) => (a.partnerName ?? a.partnerId).localeCompare(b.partnerName ?? b.partnerId),
};

/** `score.desc` in the URL: the column and the direction. */
const parseSort = (value: string): { key: SortKey; order: SortOrder } | undefined => {
  const [key, order] = value.split('.');
  return (SORTABLE as readonly string[]).includes(key ?? '') ? { key: key as SortKey, order: order === 'desc' ? 'descend' : 'ascend' } : undefined;
};

/**
 * Scorecards of a closed period, ranked within region and tier (GET /performance/scorecards): filters and sorting in the
 * URL, the scores as a chart (and its table and CSV), each dealer's row opening its review.
 */
export const ScorecardsPage = () => {
  const { t, f } = useI18n();
  const url = useUrlFilters(['period', 'region', 'tier', 'sort'] as const);
  // Every scorecard's period, region and tier, for the pickers; the latest period is the default.
  const all = useQuery({
    queryKey: ['scorecards', 'all'],
    queryFn: () => ok(api.GET('/performance/scorecards', { params: { query: {} } })),
    staleTime: 60_000,
  });
  const options = useMemo(() => {
    const items = all.data?.items ?? [];
    const distinct = (pick: (s: Scorecard) => string) => [...new Set(items.map(pick))].sort();
    // Months and quarters mix (2026-10, 2026-Q3): the latest recorded first.
    const recorded = new Map<string, string>();
    for (const s of items) if ((recorded.get(s.period) ?? '') < s.recordedAt) recorded.set(s.period, s.recordedAt);
    const periods = [...recorded.keys()].sort((a, b) => recorded.get(b)!.localeCompare(recorded.get(a)!) || b.localeCompare(a));
    return { periods, regions: distinct((s) => s.region), tiers: distinct((s) => s.tier) };
  }, [all.data]);
  const period = url.values.period || options.periods[0] || '';
  const query = {
    period,
    ...(url.values.region ? { region: url.values.region } : {}),
    ...(url.values.tier ? { tier: url.values.tier } : {}),
  };
  const list = useCursorList(['scorecards', query], async () => ({
    items: period ? (await ok(api.GET('/performance/scorecards', { params: { query } }))).items : [],
    nextCursor: null,
  }));
  const sort = parseSort(url.values.sort);
  const sortable = (key: SortKey) => ({ sorter: COMPARE[key], sortOrder: sort?.key === key ? sort.order : null });
  const onTableChange: TableProps<Scorecard>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    url.set({ sort: s?.order && s.columnKey ? `${String(s.columnKey)}.${s.order === 'descend' ? 'desc' : 'asc'}` : null });
  };
  const columns: TableColumnsType<Scorecard> = [
    {
      title: t('orders.dealer'),
      key: 'dealer',
      ...sortable('dealer'),
      render: (_, s) => (
        <Link to={`/console/performance/${encodeURIComponent(s.partnerId)}/${encodeURIComponent(s.period)}`}>{s.partnerName ?? s.partnerId}</Link>
      ),
    },
    { title: t('performance.period'), dataIndex: 'period' },
    { title: t('performance.region'), dataIndex: 'region' },
    { title: t('performance.tier'), dataIndex: 'tier' },
    { title: t('performance.grade'), key: 'grade', render: (_, s) => <GradeTag grade={s.grade} /> },
    { title: t('performance.score'), key: 'score', align: 'right', ...sortable('score'), render: (_, s) => scoreOf(f, s.scoreBps) },
    { title: t('performance.rankInRegion'), key: 'rankInRegion', align: 'right', ...sortable('rankInRegion'), render: (_, s) => f.number(s.rankInRegion) },
    { title: t('performance.rankInTier'), key: 'rankInTier', align: 'right', ...sortable('rankInTier'), render: (_, s) => f.number(s.rankInTier) },
    { title: t('performance.salesAttainment'), key: 'sales', align: 'right', ...sortable('sales'), render: (_, s) => f.bps(s.salesAttainmentBps) },
  ];
  const figures: FigureColumn<Scorecard>[] = [
    { key: 'dealer', title: t('orders.dealer'), render: (s) => s.partnerName ?? s.partnerId, csv: (s) => s.partnerId },
    { key: 'region', title: t('performance.region'), render: (s) => s.region, csv: (s) => s.region },
    { key: 'grade', title: t('performance.grade'), render: (s) => s.grade ?? '', csv: (s) => s.grade },
    {
      key: 'score',
      title: t('performance.score'),
      align: 'right',
      render: (s) => scoreOf(f, s.scoreBps),
      csv: (s) => (s.scoreBps === null ? null : s.scoreBps / 100),
    },
  ];
  const ranked = [...list.rows].sort((a, b) => nullsLast(b.scoreBps, a.scoreBps));
  const chartTitle = t('performance.chart', { period: period || t('performance.latestPeriod') });
  return (
    <ListPage
      title={t('performance.title')}
      url={url}
      filters={[
        { key: 'period', label: t('performance.period'), options: options.periods.map((p) => ({ value: p, label: p })) },
        { key: 'region', label: t('performance.region'), options: options.regions.map((r) => ({ value: r, label: r })) },
        { key: 'tier', label: t('performance.tier'), options: options.tiers.map((r) => ({ value: r, label: r })) },
      ]}
      extra={
        <Link to="/console/performance/overdue">
          <Button>{t('performance.overdue')}</Button>
        </Link>
      }
      above={
        <ChartCard<Scorecard>
          testId="chart-scores"
          title={chartTitle}
          loading={list.isPending}
          rows={ranked}
          rowKey={(s) => s.partnerId}
          csvName={`scorecards-${period}`}
          columns={figures}
          height={Math.max(200, ranked.length * 28 + 60)}
          option={{
            tooltip: { trigger: 'axis', valueFormatter: (v) => f.number(Number(v), 2) },
            grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
            xAxis: { type: 'value', max: 100 },
            yAxis: { type: 'category', inverse: true, data: ranked.map((s) => s.partnerName ?? s.partnerId) },
            series: [
              {
                type: 'bar',
                name: t('performance.score'),
                barMaxWidth: 18,
                data: ranked.map((s) => ({ value: s.scoreBps === null ? 0 : s.scoreBps / 100, itemStyle: { color: GRADE_HEX[s.grade ?? ''] ?? '#8c8c8c' } })),
              },
            ],
          }}
        />
      }
      list={list}
      rowKey={'partnerId' as keyof Scorecard & string}
      scrollX={960}
      onTableChange={onTableChange}
      columns={columns}
    />
  );
};
