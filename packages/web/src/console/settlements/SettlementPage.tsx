import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Skeleton, Space } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiProblem, api, idempotencyKey, ok } from '../../api/client';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { useFeedback } from '../../shared/feedback';
import { dueOf } from '../../shared/settlements/due';
import { StatementDetails } from '../../shared/settlements/StatementDetails';
import { actorIdOf, useActorName } from '../../shared/useActorName';

/**
 * One statement for finance: close it after its period, approve it, and record the payment that settles it. Four eyes:
 * whoever closed it cannot approve it, so the screen says who closed and who approved, and tells the person who closed
 * it to ask someone else (the API refuses with SAME_PERSON_APPROVAL either way).
 */
export const SettlementPage = () => {
  const { t, f } = useI18n();
  const { partnerId = '', period = '' } = useParams();
  const session = useSession().data;
  const message = useFeedback();
  const [minPosition, setMinPosition] = useState<string>();
  const [paying, setPaying] = useState(false);
  const statement = useQuery({
    queryKey: ['statement', partnerId, period, minPosition],
    queryFn: () => ok(api.GET('/settlements/{partnerId}/{period}', { params: { path: { partnerId, period }, query: minPosition ? { minPosition } : {} } })),
    placeholderData: (previous) => previous,
  });
  const actorName = useActorName([statement.data?.closedBy, statement.data?.approvedBy]);
  const path = { partnerId, period };
  const act = useMutation({
    mutationFn: async ({ step, reference }: { step: 'close' | 'approve' | 'pay'; reference?: string }) => {
      const headers = idempotencyKey();
      if (step === 'close') return ok(api.POST('/settlements/{partnerId}/{period}/close', { params: { path }, headers, body: {} }));
      if (step === 'approve') return ok(api.POST('/settlements/{partnerId}/{period}/approve', { params: { path }, headers, body: {} }));
      return ok(
        api.POST('/settlements/{partnerId}/{period}/payments', {
          params: { path },
          headers,
          body: { paymentReference: reference ?? '', amount: dueOf(statement.data!.total).amount },
        }),
      );
    },
    onSuccess: (accepted, { step }) => {
      setPaying(false);
      message.success(t(`settlements.done.${step}`));
      setMinPosition(accepted.position);
    },
  });
  if (statement.error) return <ProblemResult error={statement.error} />;
  if (!statement.data) return <Skeleton active />;
  const s = statement.data;
  const mayWrite = can(session, 'settlements:write');
  const closedByMe = session !== undefined && session !== null && s.closedBy === actorIdOf(session.user);
  const refusedAsSamePerson = act.error instanceof ApiProblem && act.error.code === 'SAME_PERSON_APPROVAL';
  const due = dueOf(s.total);
  const payLabel = due.dealerPays ? t('settlements.receive') : t('settlements.pay');
  return (
    <section className="page">
      {mayWrite && (
        <Space wrap className="page-actions">
          {s.status === 'open' && (
            <Button type="primary" onClick={() => act.mutate({ step: 'close' })} loading={act.isPending}>
              {t('settlements.close')}
            </Button>
          )}
          {s.status === 'closed' && (
            <Button type="primary" onClick={() => act.mutate({ step: 'approve' })} loading={act.isPending} disabled={closedByMe}>
              {t('settlements.approve')}
            </Button>
          )}
          {s.status === 'approved' && (
            <Button type="primary" onClick={() => setPaying(true)}>
              {payLabel}
            </Button>
          )}
        </Space>
      )}
      {mayWrite && s.status === 'closed' && closedByMe && !act.error && (
        <Alert
          type="info"
          showIcon
          className="form-alert"
          title={t('settlements.fourEyes')}
          description={t('settlements.fourEyesLead')}
          data-testid="four-eyes"
        />
      )}
      {act.error && !paying && (
        <Alert
          type="error"
          showIcon
          title={refusedAsSamePerson ? t('settlements.samePerson') : act.error.message}
          description={refusedAsSamePerson ? act.error.message : undefined}
          className="form-alert"
        />
      )}
      <StatementDetails
        statement={s}
        people={[
          { key: 'closedBy', label: t('settlements.closedBy'), value: actorName(s.closedBy) },
          { key: 'approvedBy', label: t('settlements.approvedBy'), value: actorName(s.approvedBy) },
        ]}
      />
      <Modal open={paying} title={payLabel} onCancel={() => setPaying(false)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={(v: { reference: string }) => act.mutate({ step: 'pay', reference: v.reference })}>
          <Alert
            type="info"
            className="form-alert"
            title={t(due.dealerPays ? 'settlements.receiveAmount' : 'settlements.payAmount', { amount: f.money(due.amount) })}
          />
          <Form.Item name="reference" label={t('settlements.paymentReference')} rules={[{ required: true, whitespace: true }, { max: 80 }]}>
            <Input maxLength={80} />
          </Form.Item>
          {act.error && <Alert type="error" showIcon title={act.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={act.isPending}>
            {due.dealerPays ? t('settlements.receive') : t('settlements.recordPayment')}
          </Button>
        </Form>
      </Modal>
    </section>
  );
};
