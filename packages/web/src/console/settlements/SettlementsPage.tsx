import { Card, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { ListFooter } from '../../shared/ListFooter';
import { statementStatusLabel } from '../../shared/labels';
import { STATEMENT_STATUS_COLOR } from '../../shared/settlements/StatementDetails';
import { useCursorList } from '../../shared/useCursorList';
import { setOnly, useUrlFilters } from '../../shared/useUrlFilters';
import { usePartners } from '../orders/ConsoleOrdersPage';

const STATUSES = ['open', 'closed', 'approved', 'paid'] as const;

/** Settlement statements, newest period first, by status and dealer; each opens to close, approve and pay. */
export const SettlementsPage = () => {
  const { t, f } = useI18n();
  const filters = useUrlFilters(['status', 'partnerId'] as const);
  const partners = usePartners();
  const query = setOnly(filters.values);
  const list = useCursorList(['settlements', query], (cursor) =>
    ok(api.GET('/settlements', { params: { query: { ...query, status: query.status as (typeof STATUSES)[number] | undefined, limit: 50, cursor } } })),
  );
  if (list.error) return <ProblemResult error={list.error} />;
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('console.nav.settlements')}
      </Typography.Title>
      <Card size="small" className="filters">
        <Space wrap>
          <Select
            allowClear
            placeholder={t('common.status')}
            aria-label={t('common.status')}
            value={filters.values.status || undefined}
            onChange={(v) => filters.set({ status: v })}
            options={STATUSES.map((s) => ({ value: s, label: statementStatusLabel(t, s) }))}
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
        </Space>
      </Card>
      <Table<Schemas['SettlementStatementSummary']>
        size="small"
        rowKey="statementId"
        loading={list.isPending}
        dataSource={list.rows}
        pagination={false}
        scroll={{ x: 800 }}
        columns={[
          {
            title: t('statements.period'),
            key: 'period',
            render: (_, s) => <Link to={`/console/settlements/${encodeURIComponent(s.partnerId)}/${encodeURIComponent(s.period)}`}>{s.period}</Link>,
          },
          { title: t('orders.dealer'), key: 'partner', render: (_, s) => s.partnerName ?? s.partnerId },
          {
            title: t('common.status'),
            key: 'status',
            render: (_, s) => <Tag color={STATEMENT_STATUS_COLOR[s.status]}>{statementStatusLabel(t, s.status)}</Tag>,
          },
          { title: t('statements.volume'), key: 'volume', align: 'right', render: (_, s) => f.money(s.volume) },
          { title: t('statements.rebates'), key: 'rebates', align: 'right', render: (_, s) => f.money(s.rebates) },
          {
            title: t('statements.total'),
            key: 'total',
            align: 'right',
            render: (_, s) => f.money(s.total),
            sorter: (a, b) => a.total.amountMinor - b.total.amountMinor,
          },
        ]}
        footer={() => <ListFooter list={list} />}
      />
    </section>
  );
};
