import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Skeleton } from 'antd';
import { useParams } from 'react-router';
import { api, idempotencyKey, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { useFeedback } from '../../shared/feedback';
import { ReviewDetails } from '../../shared/performance/ReviewDetails';
import { ActionUpdate, useReview } from '../../shared/performance/useReviewCommand';

/**
 * The dealer's own review of a period: its scorecard, the manufacturer's assessment, its feedback (and a form to give
 * more) and the improvement actions, of which it moves on those it owns. Another dealer's review answers 404: "not found".
 */
export const PerformanceReviewPage = () => {
  const { t } = useI18n();
  const { partnerId = '', period = '' } = useParams();
  const user = useSession().data!.user;
  const message = useFeedback();
  const { review, setMinPosition } = useReview(partnerId, period);
  const [form] = Form.useForm<{ text: string }>();
  const feedback = useMutation({
    mutationFn: (text: string) =>
      ok(
        api.POST('/performance/reviews/{partnerId}/{period}/feedback', {
          params: { path: { partnerId, period } },
          headers: idempotencyKey(),
          body: { text },
        }),
      ),
    onSuccess: (accepted) => {
      form.resetFields();
      message.success(t('performance.done.feedback'));
      setMinPosition(accepted.position);
    },
  });
  if (review.error) return <ProblemResult error={review.error} />;
  if (!review.data) return <Skeleton active />;
  const r = review.data;
  return (
    <section className="page">
      <ReviewDetails
        review={r}
        name={r.scorecard?.partnerName ?? user.name}
        // A completed review no longer changes (the API refuses with REVIEW_COMPLETED): no forms on it.
        actionTools={
          r.status === 'open' ? (a) => (a.owner.party === 'dealer' ? <ActionUpdate review={r} action={a} onDone={setMinPosition} /> : null) : undefined
        }
      />
      {r.status === 'open' && (
        <Card size="small">
          <Form form={form} layout="vertical" onFinish={(v) => feedback.mutate(v.text)} disabled={feedback.isPending}>
            <Form.Item name="text" label={t('performance.form.feedback')} rules={[{ required: true, whitespace: true }, { max: 4000 }]}>
              <Input.TextArea rows={3} maxLength={4000} />
            </Form.Item>
            {feedback.error && <Alert type="error" showIcon role="alert" className="form-alert" title={feedback.error.message} />}
            <Button type="primary" htmlType="submit" loading={feedback.isPending}>
              {t('performance.form.sendFeedback')}
            </Button>
          </Form>
        </Card>
      )}
    </section>
  );
};
