import { Tag } from 'antd';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { statementStatusLabel } from '../../shared/labels';
import { STATEMENT_STATUS_COLOR } from '../../shared/settlements/StatementDetails';
import { useCursorList } from '../../shared/useCursorList';
import { setOnly, useUrlFilters } from '../../shared/useUrlFilters';
import { ListPage } from '../ListPage';
import { partnerFilter, usePartners } from '../partners/usePartners';

const STATUSES = ['open', 'closed', 'approved', 'paid'] as const;

/** Settlement statements, newest period first, by status and dealer; each opens to close, approve and pay. */
export const SettlementsPage = () => {
  const { t, f } = useI18n();
  const url = useUrlFilters(['status', 'partnerId'] as const);
  const partners = usePartners();
  const query = setOnly(url.values);
  const list = useCursorList(['settlements', query], (cursor) =>
    ok(api.GET('/settlements', { params: { query: { ...query, status: query.status as (typeof STATUSES)[number] | undefined, limit: 50, cursor } } })),
  );
  return (
    <ListPage
      title={t('console.nav.settlements')}
      url={url}
      filters={[
        { key: 'status', label: t('common.status'), options: STATUSES.map((s) => ({ value: s, label: statementStatusLabel(t, s) })) },
        partnerFilter(t, partners.data),
      ]}
      list={list}
      rowKey="statementId"
      scrollX={800}
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
    />
  );
};
