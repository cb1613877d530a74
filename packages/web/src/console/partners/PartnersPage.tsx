import { Space, Tag } from 'antd';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { useCursorList } from '../../shared/useCursorList';
import { setOnly, useUrlFilters } from '../../shared/useUrlFilters';
import { ListPage } from '../ListPage';

const STATUSES = ['active', 'suspended', 'terminated'] as const;
const STATUS_COLOR: Record<string, string> = { active: 'green', suspended: 'orange', terminated: 'default' };

/** The dealers: region, tier, status and credit limit, with links to their orders and statements. */
export const PartnersPage = () => {
  const { t, f } = useI18n();
  const url = useUrlFilters(['status', 'region'] as const);
  const query = setOnly(url.values);
  const list = useCursorList(['partners', query], (cursor) =>
    ok(api.GET('/partners', { params: { query: { ...query, status: query.status as (typeof STATUSES)[number] | undefined, limit: 100, cursor } } })),
  );
  const regions = [...new Set(list.rows.map((p) => p.region))].sort();
  return (
    <ListPage
      title={t('console.nav.partners')}
      url={url}
      filters={[
        { key: 'status', label: t('common.status'), options: STATUSES.map((s) => ({ value: s, label: t(`partners.status.${s}`) })) },
        { key: 'region', label: t('orders.region'), options: regions.map((r) => ({ value: r, label: r })) },
      ]}
      list={list}
      rowKey="partnerId"
      scrollX={800}
      columns={[
        { title: t('orders.dealer'), key: 'name', render: (_, p) => p.name, sorter: (a, b) => a.name.localeCompare(b.name) },
        { title: t('orders.region'), dataIndex: 'region' },
        { title: t('partners.tier'), dataIndex: 'tier' },
        { title: t('common.status'), key: 'status', render: (_, p) => <Tag color={STATUS_COLOR[p.status]}>{t(`partners.status.${p.status}`)}</Tag> },
        { title: t('partners.creditLimit'), key: 'credit', align: 'right', render: (_, p) => f.money(p.creditLimit) },
        {
          title: t('common.actions'),
          key: 'links',
          render: (_, p) => (
            <Space>
              <Link to={`/console/orders?partnerId=${encodeURIComponent(p.partnerId)}`}>{t('console.nav.orders')}</Link>
              <Link to={`/console/settlements?partnerId=${encodeURIComponent(p.partnerId)}`}>{t('console.nav.settlements')}</Link>
            </Space>
          ),
        },
      ]}
    />
  );
};
