import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Modal, Select, Skeleton, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, idempotencyKey, ok } from '../../api/client';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { useFeedback } from '../../shared/feedback';
import { GradeTag, ReviewDetails, type Scorecard, scoreOf } from '../../shared/performance/ReviewDetails';
import { ActionUpdate, useReview } from '../../shared/performance/useReviewCommand';
import { ScrollRegion } from '../../shared/ScrollRegion';

type Step = 'assessment' | 'action' | 'accept' | 'reject' | 'complete';
interface AssessmentForm {
  summary: string;
  strengths?: string;
  improvements?: string;
}
interface ActionForm {
  title: string;
  description?: string;
  ownerName: string;
  party: 'dealer' | 'manufacturer';
  dueOn: Dayjs;
}

/**
 * One dealer's review for a period, for the manufacturer: the scorecard, assessment, the dealer's feedback, meetings and
 * actions, and the dealer's earlier reviews. Staff with `performance:write` (the API's gate) record the assessment, agree
 * actions, decide the recommendation and complete the review; `performance:respond` moves an action on.
 */
export const ReviewPage = () => {
  const { t, f } = useI18n();
  const { partnerId = '', period = '' } = useParams();
  const session = useSession().data;
  const message = useFeedback();
  const { review, setMinPosition } = useReview(partnerId, period);
  const [form, setForm] = useState<Step>();
  const history = useQuery({
    queryKey: ['scorecards', { partnerId }],
    queryFn: () => ok(api.GET('/performance/scorecards', { params: { query: { partnerId } } })),
  });
  const path = { partnerId, period };
  const act = useMutation({
    mutationFn: async ({ step, values }: { step: Step; values?: AssessmentForm | ActionForm | { note?: string } }) => {
      const headers = idempotencyKey();
      const base = '/performance/reviews/{partnerId}/{period}' as const;
      if (step === 'assessment') return ok(api.POST(`${base}/assessment`, { params: { path }, headers, body: values as AssessmentForm }));
      if (step === 'action') {
        const v = values as ActionForm;
        return ok(
          api.POST(`${base}/actions`, {
            params: { path },
            headers,
            body: {
              title: v.title,
              ...(v.description ? { description: v.description } : {}),
              owner: { name: v.ownerName, party: v.party },
              dueOn: v.dueOn.format('YYYY-MM-DD'),
            },
          }),
        );
      }
      if (step === 'complete') return ok(api.POST(`${base}/complete`, { params: { path }, headers, body: {} }));
      const note = (values as { note?: string } | undefined)?.note;
      return ok(
        api.POST(`${base}/recommendation`, {
          params: { path },
          headers,
          body: { decision: step === 'accept' ? 'accept' : 'reject', ...(note ? { note } : {}) },
        }),
      );
    },
    onSuccess: (accepted, { step }) => {
      setForm(undefined);
      message.success(t(`performance.done.${step === 'accept' || step === 'reject' ? 'recommendation' : step}`));
      setMinPosition(accepted.position);
    },
  });
  if (review.error) return <ProblemResult error={review.error} />;
  if (!review.data) return <Skeleton active />;
  const r = review.data;
  const name = r.scorecard?.partnerName ?? partnerId;
  const mayWrite = can(session, 'performance:write') && r.status === 'open';
  const mayRespond = can(session, 'performance:respond') && r.status === 'open';
  const close = () => {
    setForm(undefined);
    act.reset();
  };
  const error = act.error && <Alert type="error" showIcon role="alert" className="form-alert" title={act.error.message} />;
  return (
    <section className="page">
      <ReviewDetails review={r} name={name} actionTools={mayRespond ? (a) => <ActionUpdate review={r} action={a} onDone={setMinPosition} /> : undefined}>
        {mayWrite && (
          <Space wrap className="page-actions">
            <Button type="primary" onClick={() => setForm('assessment')}>
              {t('performance.form.assess')}
            </Button>
            <Button onClick={() => setForm('action')}>{t('performance.form.addAction')}</Button>
            {r.recommendation && !r.decision && (
              <>
                <Button onClick={() => act.mutate({ step: 'accept' })} loading={act.isPending && act.variables?.step === 'accept'}>
                  {t('performance.form.accept')}
                </Button>
                <Button danger onClick={() => setForm('reject')}>
                  {t('performance.form.reject')}
                </Button>
              </>
            )}
            <Button onClick={() => act.mutate({ step: 'complete' })} loading={act.isPending && act.variables?.step === 'complete'}>
              {t('performance.form.complete')}
            </Button>
          </Space>
        )}
        {!form && error}
      </ReviewDetails>
      <ScrollRegion label={t('performance.history')} minWidth={560}>
        <Table<Scorecard>
          size="small"
          rowKey="period"
          title={() => t('performance.history')}
          loading={history.isPending}
          dataSource={history.data?.items ?? []}
          pagination={false}
          columns={[
            {
              title: t('performance.period'),
              key: 'period',
              render: (_, s) =>
                s.period === period ? (
                  <strong>{s.period}</strong>
                ) : (
                  <Link to={`/console/performance/${encodeURIComponent(partnerId)}/${encodeURIComponent(s.period)}`}>{s.period}</Link>
                ),
            },
            { title: t('performance.grade'), key: 'grade', render: (_, s) => <GradeTag grade={s.grade} /> },
            { title: t('performance.score'), key: 'score', align: 'right', render: (_, s) => scoreOf(f, s.scoreBps) },
            { title: t('performance.rankInRegion'), key: 'rank', align: 'right', render: (_, s) => f.number(s.rankInRegion) },
            { title: t('performance.salesAttainment'), key: 'sales', align: 'right', render: (_, s) => f.bps(s.salesAttainmentBps) },
            { title: t('performance.tier'), key: 'tier', render: (_, s) => <Tag>{s.tier}</Tag> },
          ]}
        />
      </ScrollRegion>
      <Modal open={form === 'assessment'} title={t('performance.form.assess')} onCancel={close} footer={null} destroyOnHidden>
        <Form<AssessmentForm>
          layout="vertical"
          initialValues={r.assessment ?? undefined}
          onFinish={(values) => act.mutate({ step: 'assessment', values })}
          disabled={act.isPending}
        >
          <Form.Item name="summary" label={t('performance.summary')} rules={[{ required: true, whitespace: true }, { max: 4000 }]}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
          <Form.Item name="strengths" label={t('performance.strengths')} rules={[{ max: 4000 }]}>
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          <Form.Item name="improvements" label={t('performance.improvements')} rules={[{ max: 4000 }]}>
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          {error}
          <Button type="primary" htmlType="submit" loading={act.isPending}>
            {t('performance.form.assess')}
          </Button>
        </Form>
      </Modal>
      <Modal open={form === 'action'} title={t('performance.form.addAction')} onCancel={close} footer={null} destroyOnHidden>
        <Form<ActionForm>
          layout="vertical"
          initialValues={{ party: 'dealer' }}
          onFinish={(values) => act.mutate({ step: 'action', values })}
          disabled={act.isPending}
        >
          <Form.Item name="title" label={t('performance.form.title')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="description" label={t('performance.form.description')} rules={[{ max: 4000 }]}>
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          <Form.Item name="ownerName" label={t('performance.form.ownerName')} rules={[{ required: true, whitespace: true }, { max: 120 }]}>
            <Input maxLength={120} />
          </Form.Item>
          <Form.Item name="party" label={t('performance.form.ownerParty')} rules={[{ required: true }]}>
            <Select
              options={(['dealer', 'manufacturer'] as const).map((p) => ({ value: p, label: t(`performance.party.${p}`) }))}
              aria-label={t('performance.form.ownerParty')}
            />
          </Form.Item>
          <Form.Item name="dueOn" label={t('performance.form.dueOn')} rules={[{ required: true }]}>
            {/* Not before today: the API refuses an action due in the past (DUE_DATE_IN_PAST). */}
            <DatePicker className="full-width" disabledDate={(d) => d.isBefore(dayjs(), 'day')} inputReadOnly />
          </Form.Item>
          {error}
          <Button type="primary" htmlType="submit" loading={act.isPending}>
            {t('performance.form.addAction')}
          </Button>
        </Form>
      </Modal>
      <Modal open={form === 'reject'} title={t('performance.form.reject')} onCancel={close} footer={null} destroyOnHidden>
        <Form<{ note: string }> layout="vertical" onFinish={(values) => act.mutate({ step: 'reject', values })} disabled={act.isPending}>
          <Form.Item name="note" label={t('performance.form.rejectReason')} rules={[{ required: true, whitespace: true }, { max: 1000 }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          {error}
          <Button type="primary" danger htmlType="submit" loading={act.isPending}>
            {t('performance.form.reject')}
          </Button>
        </Form>
      </Modal>
    </section>
  );
};
