import { useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Skeleton, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { ACTION_STATUS_COLOR, actionStatusLabel, GradeTag, scoreOf } from '../../shared/performance/ReviewDetails';
import { useReview } from '../../shared/performance/useReviewCommand';

/** The open actions of the dealer's latest review (where every unfinished action is followed up). */
const OpenActions = ({ partnerId, period }: { partnerId: string; period: string }) => {
  const { t, f } = useI18n();
  const { review } = useReview(partnerId, period);
  const open = (review.data?.actions ?? []).filter((a) => a.status === 'open' || a.status === 'in_progress');
  if (open.length === 0) return null;
  return (
    <Card size="small" title={t('performance.mine.openActions')} data-testid="open-actions">
      <List
        size="small"
        dataSource={open}
        rowKey="actionId"
        renderItem={(a) => (
          <List.Item>
            <List.Item.Meta
              title={
                <Link to={`/portal/performance/${encodeURIComponent(partnerId)}/${encodeURIComponent(period)}`}>
                  {a.title} <Tag color={ACTION_STATUS_COLOR[a.status]}>{actionStatusLabel(t, a.status)}</Tag>
                </Link>
              }
              description={`${t('performance.dueOn')}: ${f.date(a.dueOn)}`}
            />
          </List.Item>
        )}
      />
    </Card>
  );
};

/**
 * The dealer's own scorecards, latest period first, each with its grade, score and place in its region, opening the
 * review (feedback, open actions). The API scopes the list to the dealer's own partner.
 */
export const PerformancePage = () => {
  const { t, f } = useI18n();
  const scorecards = useQuery({
    queryKey: ['scorecards', 'portal'],
    queryFn: () => ok(api.GET('/performance/scorecards', { params: { query: {} } })),
  });
  if (scorecards.error) return <ProblemResult error={scorecards.error} />;
  const items = [...(scorecards.data?.items ?? [])].sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('performance.mine.title')}
      </Typography.Title>
      {scorecards.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t('common.empty')} />
      ) : (
        <div className="order-list">
          <OpenActions partnerId={items[0]!.partnerId} period={items[0]!.period} />
          {items.map((s) => (
            <Card size="small" key={s.period} className="order-card">
              <Link to={`/portal/performance/${encodeURIComponent(s.partnerId)}/${encodeURIComponent(s.period)}`} className="order-card-link">
                <div className="order-card-head">
                  <Typography.Text strong>{s.period}</Typography.Text>
                  <GradeTag grade={s.grade} />
                </div>
                <div className="order-card-body">
                  <span>{s.rankInRegion ? t('performance.mine.rank', { rank: f.number(s.rankInRegion), region: s.region }) : s.region}</span>
                  <strong>{`${t('performance.score')} ${scoreOf(f, s.scoreBps)}`}</strong>
                </div>
              </Link>
            </Card>
          ))}
        </div>
      )}
    </section>
  );
};
