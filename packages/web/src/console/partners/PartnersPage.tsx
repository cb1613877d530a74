import { Card, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { ListFooter } from '../../shared/ListFooter';
import { useCursorList } from '../../shared/useCursorList';
import { setOnly, useUrlFilters } from '../../shared/useUrlFilters';

const STATUSES = ['active', 'suspended', 'terminated'] as const;
const STATUS_COLOR: Record<string, string> = { active: 'green', suspended: 'orange', terminated: 'default' };

/** The dealers: region, tier, status and credit limit, with links to their orders and statements. */
export const PartnersPage = () => {
  const { t, f } = useI18n();
  const filters = useUrlFilters(['status', 'region'] as const);
  const query = setOnly(filters.values);
  const list = useCursorList(['partners', query], (cursor) =>
    ok(api.GET('/partners', { params: { query: { ...query, status: query.status as (typeof STATUSES)[number] | undefined, limit: 100, cursor } } })),
  );
  if (list.error) return <ProblemResult error={list.error} />;
  const regions = [...new Set(list.rows.map((p) => p.region))].sort();
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('console.nav.partners')}
      </Typography.Title>
      <Card size="small" className="filters">
        <Space wrap>
          <Select
            allowClear
            placeholder={t('common.status')}
            aria-label={t('common.status')}
            value={filters.values.status || undefined}
            onChange={(v) => filters.set({ status: v })}
            options={STATUSES.map((s) => ({ value: s, label: t(`partners.status.${s}`) }))}
            className="filter-select"
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
        </Space>
      </Card>
      <Table<Schemas['Partner']>
        size="small"
        rowKey="partnerId"
        loading={list.isPending}
        dataSource={list.rows}
        pagination={false}
        scroll={{ x: 800 }}
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
        footer={() => <ListFooter list={list} />}
      />
    </section>
  );
};
