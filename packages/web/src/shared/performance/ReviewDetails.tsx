import { Card, Empty, List, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import type { Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import type { Formats } from '../../i18n/format';
import { LinesCard, RecordHead } from '../RecordHead';

export type Review = Schemas['PerformanceReviewDetail'];
export type Scorecard = Schemas['Scorecard'];
export type ImprovementAction = Schemas['ImprovementAction'];
type Criterion = Scorecard['criteria'][number];
type Goal = Scorecard['goals'][number];

export const GRADE_COLOR: Record<string, string> = { A: 'green', B: 'blue', C: 'gold', D: 'red' };
export const ACTION_STATUS_COLOR: Record<string, string> = { open: 'blue', in_progress: 'gold', done: 'green', dropped: 'default' };

/** The unit of each KPI's values (docs/performance.md#kpis): money in minor units, bps, days with one decimal, minutes. */
const KPI_UNIT: Record<string, 'money' | 'bps' | 'days' | 'minutes' | 'number'> = {
  sales_value: 'money',
  growth_previous: 'bps',
  growth_last_year: 'bps',
  on_time_payment: 'bps',
  overdue_share: 'bps',
  return_rate: 'bps',
  review_pass_rate: 'bps',
  forecast_accuracy: 'bps',
  dso: 'days',
  response_time: 'minutes',
};

/** A KPI's value in its unit, for the language. */
export const kpiValue = (t: TFunction, f: Formats, kpi: string, value: number | null | undefined, currency: string): string => {
  if (value === null || value === undefined) return f.number(null);
  switch (KPI_UNIT[kpi] ?? 'number') {
    case 'money':
      return f.money({ amountMinor: value, currency });
    case 'bps':
      return f.bps(value);
    case 'days':
      return t('performance.days', { n: f.number(value, 1) });
    case 'minutes':
      return t('performance.minutes', { n: f.number(value) });
    default:
      return f.number(value);
  }
};

/** A KPI's name in the language, with the product category when it is measured for one. */
export const kpiLabel = (t: TFunction, kpi: string, category?: string) => {
  const name = t(`performance.kpi.${kpi}` as never, { defaultValue: kpi }) as string;
  return category ? `${name} · ${t(`categories.${category}` as never, { defaultValue: category }) as string}` : name;
};

/** A score in basis points (0..10000) as points out of 100. */
export const scoreOf = (f: Formats, bps: number | null | undefined) => (bps === null || bps === undefined ? f.number(null) : f.number(bps / 100, 2));

export const GradeTag = ({ grade }: { grade: string | null | undefined }) => {
  const { t, f } = useI18n();
  return grade ? <Tag color={GRADE_COLOR[grade]}>{`${t('performance.grade')} ${grade}`}</Tag> : <span>{f.number(null)}</span>;
};

export const actionStatusLabel = (t: TFunction, status: string) => t(`performance.actionStatus.${status}` as never, { defaultValue: status }) as string;

/** Who owns an action: the person's name and their side. */
export const ownerOf = (t: TFunction, a: ImprovementAction) => `${a.owner.name} (${t(`performance.party.${a.owner.party}`)})`;

/**
 * One review as the console and the portal show it: the scorecard (grade, score, ranks, each criterion's score, the
 * goals' attainment), the manufacturer's assessment, the dealer's feedback, meetings and improvement actions. `actionTools`
 * adds what the person may do on an action (the portal: the dealer updates the actions it owns).
 */
export const ReviewDetails = ({
  review,
  name,
  actionTools,
  children,
}: {
  review: Review;
  name: string;
  actionTools?: (action: ImprovementAction) => ReactNode;
  children?: ReactNode;
}) => {
  const { t, f } = useI18n();
  const card = review.scorecard;
  const currency = card?.currency ?? 'EUR';
  const recommendation = review.recommendation;
  return (
    <div className="order-details">
      <RecordHead
        title={t('performance.reviewTitle', { name, period: review.period })}
        subtitle={card ? `${t('performance.region')} ${card.region} · ${t('performance.tier')} ${card.tier}` : review.partnerId}
        status={{ label: t(`performance.reviewStatus.${review.status}`), color: review.status === 'completed' ? 'green' : 'blue' }}
        columns={{ xs: 1, sm: 2, lg: 3 }}
        facts={[
          { key: 'grade', label: t('performance.grade'), value: <GradeTag grade={card?.grade} /> },
          { key: 'score', label: t('performance.score'), value: scoreOf(f, card?.scoreBps) },
          { key: 'rankInRegion', label: t('performance.rankInRegion'), value: f.number(card?.rankInRegion) },
          { key: 'rankInTier', label: t('performance.rankInTier'), value: f.number(card?.rankInTier) },
          { key: 'sales', label: t('performance.salesAttainment'), value: f.bps(card?.salesAttainmentBps) },
          { key: 'previous', label: t('performance.previous'), value: review.previous?.grade ?? f.number(null) },
          {
            key: 'recommendation',
            label: t('performance.recommendation'),
            value: recommendation ? (
              <span>
                <strong>{t(`performance.recommendationKind.${recommendation.kind}`)}</strong> {recommendation.reason}
              </span>
            ) : (
              f.number(null)
            ),
          },
          {
            key: 'decision',
            label: t('performance.decided'),
            value: review.decision
              ? `${t(`performance.decision.${review.decision.outcome}`)}${review.decision.note ? `: ${review.decision.note}` : ''} (${f.date(review.decision.at)})`
              : t('performance.undecided'),
          },
          { key: 'reviewer', label: t('performance.reviewer'), value: review.reviewer ?? f.number(null) },
        ]}
      />
      {children}
      {card && (
        <LinesCard<Criterion>
          title={t('performance.scorecard')}
          minWidth={640}
          rows={card.criteria}
          rowKey="criterionId"
          columns={[
            { title: t('performance.criterion'), key: 'kpi', render: (_, c) => kpiLabel(t, c.kpi, c.category) },
            { title: t('performance.weight'), key: 'weight', align: 'right', render: (_, c) => f.bps(c.weightBps) },
            { title: t('performance.target'), key: 'target', align: 'right', render: (_, c) => kpiValue(t, f, c.kpi, c.target, currency) },
            { title: t('performance.actual'), key: 'actual', align: 'right', render: (_, c) => kpiValue(t, f, c.kpi, c.actual, currency) },
            {
              title: t('performance.score'),
              key: 'score',
              align: 'right',
              render: (_, c) =>
                c.scoreBps === null ? <Typography.Text type="secondary">{t('performance.notScored')}</Typography.Text> : scoreOf(f, c.scoreBps),
            },
          ]}
        />
      )}
      {card && card.goals.length > 0 && (
        <LinesCard<Goal>
          title={t('performance.goals')}
          minWidth={480}
          rows={card.goals}
          rowKey={'kpi' as keyof Goal & string}
          columns={[
            { title: t('performance.criterion'), key: 'kpi', render: (_, g) => kpiLabel(t, g.kpi, g.category) },
            { title: t('performance.target'), key: 'target', align: 'right', render: (_, g) => kpiValue(t, f, g.kpi, g.target, currency) },
            { title: t('performance.actual'), key: 'actual', align: 'right', render: (_, g) => kpiValue(t, f, g.kpi, g.actual, currency) },
            { title: t('performance.attainment'), key: 'attainment', align: 'right', render: (_, g) => f.bps(g.attainmentBps) },
          ]}
        />
      )}
      <Card size="small" title={t('performance.assessment')}>
        {review.assessment ? (
          <dl className="review-text">
            <dt>{t('performance.summary')}</dt>
            <dd>{review.assessment.summary}</dd>
            {review.assessment.strengths && (
              <>
                <dt>{t('performance.strengths')}</dt>
                <dd>{review.assessment.strengths}</dd>
              </>
            )}
            {review.assessment.improvements && (
              <>
                <dt>{t('performance.improvements')}</dt>
                <dd>{review.assessment.improvements}</dd>
              </>
            )}
          </dl>
        ) : (
          <Typography.Text type="secondary">{t('performance.noAssessment')}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('performance.feedback')}>
        {review.feedback.length === 0 ? (
          <Typography.Text type="secondary">{t('performance.noFeedback')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={review.feedback}
            rowKey="feedbackId"
            renderItem={(fb) => (
              <List.Item>
                <List.Item.Meta title={f.dateTime(fb.submittedAt)} description={fb.text} />
              </List.Item>
            )}
          />
        )}
      </Card>
      {review.meetings.length > 0 && (
        <Card size="small" title={t('performance.meetings')}>
          <List
            size="small"
            dataSource={review.meetings}
            rowKey="meetingId"
            renderItem={(m) => (
              <List.Item>
                <List.Item.Meta title={`${f.date(m.heldOn)} · ${t('performance.attendees')}: ${m.attendees.join(', ')}`} description={m.minutes} />
              </List.Item>
            )}
          />
        </Card>
      )}
      <Card size="small" title={t('performance.actions')} data-testid="review-actions">
        {review.actions.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('performance.noActions')} />
        ) : (
          <List
            size="small"
            dataSource={review.actions}
            rowKey="actionId"
            renderItem={(a) => (
              <List.Item actions={actionTools ? [actionTools(a)] : undefined}>
                <List.Item.Meta
                  title={
                    <span>
                      {a.title} <Tag color={ACTION_STATUS_COLOR[a.status]}>{actionStatusLabel(t, a.status)}</Tag>
                    </span>
                  }
                  description={[
                    `${t('performance.owner')}: ${ownerOf(t, a)}`,
                    `${t('performance.dueOn')}: ${f.date(a.dueOn)}`,
                    a.carriedFrom ? t('performance.carriedFrom', { period: a.carriedFrom }) : '',
                    a.description ?? '',
                    a.updates.length > 0 ? `${actionStatusLabel(t, a.updates.at(-1)!.status)}: ${a.updates.at(-1)!.note}` : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
    </div>
  );
};
