import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { allPages, api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { ORDER_STATUS_COLOR, orderStatusLabel } from '../../shared/labels';
import { setOnly, useUrlFilters } from '../../shared/useUrlFilters';

const STATUSES = ['placed', 'approved', 'rejected', 'cancelled', 'confirmed', 'partially_shipped', 'shipped', 'delivered', 'invoiced', 'paid'] as const;
type OrderSummary = Schemas['OrderSummary'];

/** Every partner, for filter pickers (a channel has tens to hundreds of dealers). */
export const usePartners = () =>
  useQuery({
    queryKey: ['partners', 'all'],
    queryFn: () => allPages((cursor) => ok(api.GET('/partners', { params: { query: { limit: 500, cursor } } }))),
    staleTime: 5 * 60_000,
  });

/** Orders, newest first, filtered by status, dealer, region and placement dates; the filters live in the URL. */
export const ConsoleOrdersPage = () => {
  const { t, f } = useI18n();
  const filters = useUrlFilters(['status', 'partnerId', 'region', 'placedFrom', 'placedTo'] as const);
  const partners = usePartners();
  const regions = [...new Set((partners.data ?? []).map((p) => p.region))].sort();
  const query = setOnly(filters.values);
  const orders = useInfiniteQuery({
    queryKey: ['orders', 'console', query],
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/orders', {
          params: {
            query: { ...query, status: query.status as (typeof STATUSES)[number] | undefined, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (orders.error) return <ProblemResult error={orders.error} />;
  const rows = orders.data?.pages.flatMap((p) => p.items) ?? [];
  const { placedFrom, placedTo } = filters.values;
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('console.nav.orders')}
      </Typography.Title>
      <Card size="small" className="filters">
        <Space wrap>
          <Select
            allowClear
            placeholder={t('common.status')}
            aria-label={t('common.status')}
            value={filters.values.status || undefined}
            onChange={(v) => filters.set({ status: v })}
            options={STATUSES.map((s) => ({ value: s, label: orderStatusLabel(t, s) }))}
            className="filter-select"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('orders.dealer')}
            aria-label={t('orders.dealer')}
            value={filters.values.partnerId || undefined}
            onChange={(v) => filters.set({ partnerId: v })}
            options={(partners.data ?? []).map((p) => ({ value: p.partnerId, label: p.name }))}
            className="filter-select-wide"
          />
          <Select
            allowClear
            placeholder={t('orders.region')}
            aria-label={t('orders.region')}
            value={filters.values.region || undefined}
            onChange={(v) => filters.set({ region: v })}
            options={regions.map((r) => ({ value: r, label: r }))}
            className="filter-select"
          />
          <DatePicker.RangePicker
            aria-label={t('orders.placedBetween')}
            value={placedFrom && placedTo ? [dayjs(placedFrom), dayjs(placedTo)] : null}
            onChange={(range) => filters.set({ placedFrom: range?.[0]?.format('YYYY-MM-DD'), placedTo: range?.[1]?.format('YYYY-MM-DD') })}
          />
          {filters.active && <Button onClick={filters.clear}>{t('common.clearFilters')}</Button>}
        </Space>
      </Card>
      <Table<OrderSummary>
        size="small"
        rowKey="orderId"
        loading={orders.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        sticky
        columns={[
          {
            title: t('orders.order'),
            key: 'orderId',
            render: (_, o) => <Link to={`/console/orders/${encodeURIComponent(o.orderId)}`}>{o.orderId}</Link>,
            fixed: 'left',
            width: 130,
          },
          {
            title: t('orders.dealer'),
            key: 'partner',
            render: (_, o) => o.partnerName ?? o.partnerId,
            sorter: (a, b) => (a.partnerName ?? '').localeCompare(b.partnerName ?? ''),
          },
          { title: t('orders.region'), dataIndex: 'region', width: 90 },
          {
            title: t('common.status'),
            key: 'status',
            render: (_, o) => <Tag color={ORDER_STATUS_COLOR[o.status]}>{orderStatusLabel(t, o.status)}</Tag>,
            width: 130,
          },
          {
            title: t('orders.placedAt'),
            key: 'placedAt',
            render: (_, o) => f.date(o.placedAt),
            sorter: (a, b) => a.placedAt.localeCompare(b.placedAt),
            width: 120,
          },
          {
            title: t('orders.total'),
            key: 'total',
            align: 'right',
            render: (_, o) => f.money(o.total),
            sorter: (a, b) => a.total.amountMinor - b.total.amountMinor,
          },
          { title: t('orders.outstanding'), key: 'outstanding', align: 'right', render: (_, o) => f.money(o.outstanding) },
          { title: t('orders.shippedOfOrdered'), key: 'qty', align: 'right', render: (_, o) => `${o.shippedQty} / ${o.orderedQty}` },
        ]}
        footer={() =>
          orders.hasNextPage ? (
            <Button onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
              {t('common.more')}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t('orders.shown', { count: rows.length })}</Typography.Text>
          )
        }
      />
    </section>
  );
};
