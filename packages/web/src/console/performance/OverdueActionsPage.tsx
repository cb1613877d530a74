import { Tag } from 'antd';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { ACTION_STATUS_COLOR, actionStatusLabel, type ImprovementAction, ownerOf } from '../../shared/performance/ReviewDetails';
import { useCursorList } from '../../shared/useCursorList';
import { setOnly, useUrlFilters } from '../../shared/useUrlFilters';
import { ListPage } from '../ListPage';
import { partnerFilter, usePartners } from '../partners/usePartners';

const DAY = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/** The reviewer's queue (GET /performance/actions/overdue): actions still open past their due date, most overdue first. */
export const OverdueActionsPage = () => {
  const { t, f } = useI18n();
  const url = useUrlFilters(['partnerId'] as const);
  const partners = usePartners();
  const query = setOnly(url.values);
  const names = new Map((partners.data ?? []).map((p) => [p.partnerId, p.name]));
  const list = useCursorList(['overdue-actions', query], async () => {
    const answer = await ok(api.GET('/performance/actions/overdue', { params: { query } }));
    return { items: answer.items.map((a) => ({ ...a, asOf: answer.asOf })), nextCursor: null };
  });
  return (
    <ListPage<ImprovementAction & { asOf: string }, 'partnerId'>
      title={t('performance.overdue')}
      url={url}
      filters={[partnerFilter(t, partners.data)]}
      list={list}
      rowKey="actionId"
      scrollX={960}
      columns={[
        {
          title: t('orders.dealer'),
          key: 'dealer',
          render: (_, a) => (
            <Link to={`/console/performance/${encodeURIComponent(a.partnerId)}/${encodeURIComponent(a.period)}`}>{names.get(a.partnerId) ?? a.partnerId}</Link>
          ),
        },
        { title: t('performance.period'), dataIndex: 'period' },
        { title: t('performance.action'), dataIndex: 'title' },
        { title: t('performance.owner'), key: 'owner', render: (_, a) => ownerOf(t, a) },
        { title: t('performance.dueOn'), key: 'dueOn', render: (_, a) => f.date(a.dueOn) },
        {
          title: t('performance.daysOverdue'),
          key: 'overdue',
          align: 'right',
          render: (_, a) => f.number(daysBetween(a.dueOn, a.asOf)),
          sorter: (a, b) => a.dueOn.localeCompare(b.dueOn),
        },
        { title: t('common.status'), key: 'status', render: (_, a) => <Tag color={ACTION_STATUS_COLOR[a.status]}>{actionStatusLabel(t, a.status)}</Tag> },
      ]}
    />
  );
};
