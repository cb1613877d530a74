import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Skeleton, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { statementStatusLabel } from '../../shared/labels';
import { STATEMENT_STATUS_COLOR } from '../../shared/settlements/StatementDetails';
import { RebateProgress } from './RebateProgress';

/** Rebate progress this period, and the dealer's settlement statements, newest first. */
export const StatementsPage = () => {
  const { t, f } = useI18n();
  const statements = useInfiniteQuery({
    queryKey: ['statements', 'portal'],
    queryFn: ({ pageParam }) => ok(api.GET('/settlements', { params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (statements.error) return <ProblemResult error={statements.error} />;
  const items = statements.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('portal.statements.title')}
      </Typography.Title>
      <Typography.Title level={2} className="section-title">
        {t('portal.statements.rebates')}
      </Typography.Title>
      <RebateProgress />
      <Typography.Title level={2} className="section-title">
        {t('portal.statements.statements')}
      </Typography.Title>
      {statements.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t('common.empty')} />
      ) : (
        <div className="order-list">
          {items.map((s) => (
            <Card size="small" key={s.statementId} className="order-card">
              <Link to={`/portal/statements/${encodeURIComponent(s.period)}`} className="order-card-link">
                <div className="order-card-head">
                  <Typography.Text strong>{s.period}</Typography.Text>
                  <Tag color={STATEMENT_STATUS_COLOR[s.status]}>{statementStatusLabel(t, s.status)}</Tag>
                </div>
                <div className="order-card-body">
                  <span>{t('portal.statements.volume', { amount: f.money(s.volume) })}</span>
                  <strong>{f.money(s.total)}</strong>
                </div>
              </Link>
            </Card>
          ))}
        </div>
      )}
      {statements.hasNextPage && (
        <Button block onClick={() => void statements.fetchNextPage()} loading={statements.isFetchingNextPage}>
          {t('common.more')}
        </Button>
      )}
    </section>
  );
};
