import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Skeleton, Space } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, idempotencyKey, ok } from '../../api/client';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { StatementDetails } from '../../shared/settlements/StatementDetails';

/** One statement for finance: close it after its period, approve it, and record the payment that settles it. */
export const SettlementPage = () => {
  const { t, f } = useI18n();
  const { partnerId = '', period = '' } = useParams();
  const session = useSession().data;
  const { message } = App.useApp();
  const [minPosition, setMinPosition] = useState<string>();
  const [paying, setPaying] = useState(false);
  const statement = useQuery({
    queryKey: ['statement', partnerId, period, minPosition],
    queryFn: () => ok(api.GET('/settlements/{partnerId}/{period}', { params: { path: { partnerId, period }, query: minPosition ? { minPosition } : {} } })),
    placeholderData: (previous) => previous,
  });
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
          body: { paymentReference: reference ?? '', amount: statement.data!.total },
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
            <Button type="primary" onClick={() => act.mutate({ step: 'approve' })} loading={act.isPending}>
              {t('settlements.approve')}
            </Button>
          )}
          {s.status === 'approved' && (
            <Button type="primary" onClick={() => setPaying(true)}>
              {t('settlements.pay')}
            </Button>
          )}
        </Space>
      )}
      {act.error && !paying && <Alert type="error" showIcon title={act.error.message} className="form-alert" />}
      <StatementDetails statement={s} />
      <Modal open={paying} title={t('settlements.pay')} onCancel={() => setPaying(false)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={(v: { reference: string }) => act.mutate({ step: 'pay', reference: v.reference })}>
          <Alert type="info" className="form-alert" title={t('settlements.payAmount', { amount: f.money(s.total) })} />
          <Form.Item name="reference" label={t('settlements.paymentReference')} rules={[{ required: true, whitespace: true }, { max: 80 }]}>
            <Input maxLength={80} />
          </Form.Item>
          {act.error && <Alert type="error" showIcon title={act.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={act.isPending}>
            {t('settlements.recordPayment')}
          </Button>
        </Form>
      </Modal>
    </section>
  );
};
