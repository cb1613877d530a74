import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Empty, Form, Input, List, Modal, Segmented, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { useFeedback } from '../../shared/feedback';
import { reasonLabel } from '../../shared/labels';
import { useUrlFilters } from '../../shared/useUrlFilters';

type Review = Schemas['OrderReview'];
const STATUSES = ['queued', 'approved', 'rejected'] as const;

/** One queued order: every reason, the dealer's credit, and one click to approve (or reject with a reason). */
const ReviewCard = ({ review, onDecided }: { review: Review; onDecided: (position: string) => void }) => {
  const { t, f } = useI18n();
  const message = useFeedback();
  const [rejecting, setRejecting] = useState(false);
  const [override, setOverride] = useState(false);
  const overLimit = review.reasons.some((r) => r.code === 'CREDIT_LIMIT_EXCEEDED');
  const orderId = review.orderId;
  const approve = useMutation({
    mutationFn: () =>
      ok(api.POST('/review-queue/{orderId}/approve', { params: { path: { orderId } }, body: overLimit ? { overrideCreditLimit: override } : {} })),
    onSuccess: (accepted) => {
      message.success(t('reviewQueue.approved', { orderId }));
      onDecided(accepted.position);
    },
  });
  const reject = useMutation({
    mutationFn: (reason: string) => ok(api.POST('/review-queue/{orderId}/reject', { params: { path: { orderId } }, body: { reason } })),
    onSuccess: (accepted) => {
      setRejecting(false);
      message.success(t('reviewQueue.rejected', { orderId }));
      onDecided(accepted.position);
    },
  });
  const error = approve.error ?? reject.error;
  return (
    <Card
      size="small"
      className="review-card"
      title={
        <Space wrap>
          <Link to={`/console/orders/${encodeURIComponent(orderId)}`}>{orderId}</Link>
          <Typography.Text type="secondary">{review.partnerName ?? review.partnerId}</Typography.Text>
          <Tag>{review.region}</Tag>
        </Space>
      }
      extra={<strong>{f.money(review.total)}</strong>}
    >
      <div className="review-body">
        <div>
          <Typography.Text type="secondary">
            {t('reviewQueue.placed', { date: f.dateTime(review.placedAt) })}
            {review.decidedAt ? ` · ${t('reviewQueue.decided', { date: f.dateTime(review.decidedAt), by: review.decidedBy ?? '' })}` : ''}
          </Typography.Text>
          <ul className="reason-list" aria-label={t('orders.review.reasons')}>
            {review.reasons.map((r) => (
              <li key={r.code}>
                <Tag color="orange">{r.code}</Tag> {reasonLabel(t, r.code, r.message)}
              </li>
            ))}
          </ul>
          {review.note && <Typography.Paragraph>{review.note}</Typography.Paragraph>}
        </div>
        <dl className="credit">
          <dt>{t('reviewQueue.exposure')}</dt>
          <dd>{f.money(review.credit.exposure)}</dd>
          <dt>{t('reviewQueue.limit')}</dt>
          <dd>{f.money(review.credit.limit)}</dd>
          <dt>{t('reviewQueue.available')}</dt>
          <dd>{f.money(review.credit.available)}</dd>
        </dl>
      </div>
      {error && <Alert type="error" showIcon title={error.message} className="form-alert" />}
      {review.status === 'queued' && (
        <Space wrap className="review-actions">
          {overLimit && (
            <Checkbox checked={override} onChange={(e) => setOverride(e.target.checked)}>
              {t('reviewQueue.override')}
            </Checkbox>
          )}
          <Button
            type="primary"
            icon={<CheckOutlined />}
            loading={approve.isPending}
            onClick={() => approve.mutate()}
            aria-label={t('reviewQueue.approveNamed', { orderId })}
          >
            {t('reviewQueue.approve')}
          </Button>
          <Button danger icon={<CloseOutlined />} onClick={() => setRejecting(true)} aria-label={t('reviewQueue.rejectNamed', { orderId })}>
            {t('reviewQueue.reject')}
          </Button>
        </Space>
      )}
      <Modal title={t('reviewQueue.rejectTitle', { orderId })} open={rejecting} onCancel={() => setRejecting(false)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={(v: { reason: string }) => reject.mutate(v.reason)}>
          <Form.Item
            name="reason"
            label={t('common.reason')}
            rules={[{ required: true, whitespace: true, message: t('reviewQueue.reasonRequired') }, { max: 500 }]}
          >
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
          </Form.Item>
          <Button danger type="primary" htmlType="submit" loading={reject.isPending}>
            {t('reviewQueue.reject')}
          </Button>
        </Form>
      </Modal>
    </Card>
  );
};

/** Orders automated review left for a person, oldest first; also what was approved or rejected, for a look back. */
export const ReviewQueuePage = () => {
  const { t } = useI18n();
  const client = useQueryClient();
  const filters = useUrlFilters(['status'] as const);
  const status = (filters.values.status || 'queued') as (typeof STATUSES)[number];
  // After a decision, the list is read at (or after) its position, so the decided order has left the queue.
  const [minPosition, setMinPosition] = useState<string | undefined>();
  const queue = useQuery({
    queryKey: ['review-queue', status, minPosition],
    queryFn: () => ok(api.GET('/review-queue', { params: { query: { status, limit: 100, ...(minPosition ? { minPosition } : {}) } } })),
    placeholderData: (previous) => previous,
  });
  if (queue.error) return <ProblemResult error={queue.error} />;
  return (
    <section className="page">
      <div className="page-title-row">
        <Typography.Title level={1} className="page-title">
          {t('console.nav.reviewQueue')}
        </Typography.Title>
        <Segmented
          value={status}
          onChange={(v) => filters.set({ status: v === 'queued' ? null : String(v) })}
          options={STATUSES.map((s) => ({ value: s, label: t(`reviewQueue.status.${s}`) }))}
        />
      </div>
      {queue.isPending ? (
        <Skeleton active />
      ) : queue.data.items.length === 0 ? (
        <Empty description={status === 'queued' ? t('reviewQueue.emptyQueued') : t('common.empty')} />
      ) : (
        <List
          dataSource={queue.data.items}
          renderItem={(r) => (
            <List.Item className="review-item">
              <ReviewCard
                review={r}
                onDecided={(position) => {
                  setMinPosition(position);
                  void client.invalidateQueries({ queryKey: ['order', r.orderId] });
                }}
              />
            </List.Item>
          )}
        />
      )}
    </section>
  );
};
