import { DatePicker, Tag } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { ORDER_STATUS_COLOR, orderStatusLabel } from '../../shared/labels';
import { useCursorList } from '../../shared/useCursorList';
import { setOnly, useUrlFilters } from '../../shared/useUrlFilters';
import { ListPage } from '../ListPage';
import { partnerFilter, usePartners } from '../partners/usePartners';

const STATUSES = ['placed', 'approved', 'rejected', 'cancelled', 'confirmed', 'partially_shipped', 'shipped', 'delivered', 'invoiced', 'paid'] as const;

/** Orders, newest first, filtered by status, dealer, region and placement dates; the filters live in the URL. */
export const ConsoleOrdersPage = () => {
  const { t, f } = useI18n();
  const url = useUrlFilters(['status', 'partnerId', 'region', 'placedFrom', 'placedTo'] as const);
  const partners = usePartners();
  const regions = [...new Set((partners.data ?? []).map((p) => p.region))].sort();
  const query = setOnly(url.values);
  const list = useCursorList(['orders', 'console', query], (cursor) =>
    ok(api.GET('/orders', { params: { query: { ...query, status: query.status as (typeof STATUSES)[number] | undefined, limit: 50, cursor } } })),
  );
  const { placedFrom, placedTo } = url.values;
  return (
    <ListPage
      title={t('console.nav.orders')}
      url={url}
      filters={[
        { key: 'status', label: t('common.status'), options: STATUSES.map((s) => ({ value: s, label: orderStatusLabel(t, s) })) },
        partnerFilter(t, partners.data),
        { key: 'region', label: t('orders.region'), options: regions.map((r) => ({ value: r, label: r })) },
      ]}
      extra={
        <DatePicker.RangePicker
          aria-label={t('orders.placedBetween')}
          value={placedFrom && placedTo ? [dayjs(placedFrom), dayjs(placedTo)] : null}
          onChange={(range) => url.set({ placedFrom: range?.[0]?.format('YYYY-MM-DD'), placedTo: range?.[1]?.format('YYYY-MM-DD') })}
        />
      }
      list={list}
      rowKey="orderId"
      scrollX={900}
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
    />
  );
};
