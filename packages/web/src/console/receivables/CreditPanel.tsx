import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Form, InputNumber, Modal, Select, Space, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, type Money, ok, type Schemas } from '../../api/client';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { useFeedback } from '../../shared/feedback';
import { usePartners } from '../partners/usePartners';
import { after, type PanelProps } from './panel';
import { AmountField, type Method, MethodAndReference, minorOf, Refusal } from './payment-fields';

type Entry = Schemas['DealerAccount']['entries'][number];
/**
 * A dealer's credit (GET /partners/{partnerId}/credit, docs/receivables.md "A dealer's payments and its credit"): what it
 * paid beyond its invoices, now, and every payment, application and refund of its account; for roles with billing:write,
 * the credit applied to its open invoices (the ones chosen, in order, or oldest due first) or part of it refunded. The
 * API's refusals (more than the credit, nothing open to apply it to, ...) are shown as it words them.
 */
export const CreditPanel = ({ asOf, filter, minPosition, onWritten }: PanelProps) => {
  const { t, f } = useI18n();
  const session = useSession().data;
  const partners = usePartners();
  const partnerId = filter.partnerId;
  const dealer = partnerId ? partners.data?.find((p) => p.partnerId === partnerId) : undefined;
  const account = useQuery({
    queryKey: ['receivables', 'credit', partnerId, minPosition],
    queryFn: () => ok(api.GET('/partners/{partnerId}/credit', { params: { path: { partnerId: partnerId! } } })),
    enabled: partnerId !== undefined,
  });
  if (!partnerId) return <Empty description={t('receivables.credit.chooseDealer')} />;
  if (account.error) return <ProblemResult error={account.error} />;
  const name = dealer?.name ?? partnerId;
  const credit: Money | null = account.data?.credit ?? null;
  const writing = can(session, 'billing:write') && credit !== null && credit.amountMinor > 0;
  const entries = [...(account.data?.entries ?? [])].reverse();
  return (
    <div className="receivables-panel" data-testid="dealer-credit">
      <Card size="small">
        <Space wrap align="start" size="large">
          <Statistic
            title={t('receivables.credit.balance', { name })}
            value={account.isPending ? '…' : f.money(credit ?? (dealer ? { amountMinor: 0, currency: dealer.creditLimit.currency } : null))}
            data-testid="credit-balance"
          />
          {writing && credit && (
            <Space wrap>
              <ApplyCredit partnerId={partnerId} name={name} credit={credit} asOf={asOf} minPosition={minPosition} onWritten={onWritten} />
              <RefundCredit partnerId={partnerId} name={name} credit={credit} onWritten={onWritten} />
            </Space>
          )}
        </Space>
        <Typography.Paragraph type="secondary" className="form-alert">
          {credit === null && !account.isPending ? t('receivables.credit.none') : t('receivables.credit.balanceNote')}
        </Typography.Paragraph>
      </Card>
      <Typography.Title level={2} className="section-title">
        {t('receivables.credit.history')}
      </Typography.Title>
      <Table<Entry>
        size="small"
        rowKey={(e) => `${e.kind}.${e.id}.${e.allocations[0]?.orderId ?? ''}`}
        loading={account.isPending}
        dataSource={entries}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'at', title: t('receivables.credit.at'), render: (_, e) => f.dateTime(e.at) },
          { key: 'kind', title: t('receivables.credit.kind'), render: (_, e) => t(`receivables.credit.kinds.${e.kind}`) },
          { key: 'amount', title: t('receivables.credit.amount'), align: 'right', render: (_, e) => f.money(e.amount) },
          {
            key: 'invoices',
            title: t('receivables.credit.invoices'),
            render: (_, e) => e.allocations.map((a) => `${a.invoiceId} (${f.money(a.amount)})`).join(', ') || '–',
          },
          { key: 'unapplied', title: t('receivables.credit.unapplied'), align: 'right', render: (_, e) => (e.kind === 'payment' ? f.money(e.unapplied) : '–') },
          { key: 'creditAfter', title: t('receivables.credit.creditAfter'), align: 'right', render: (_, e) => f.money(e.creditAfter) },
          {
            key: 'reference',
            title: t('receivables.credit.reference'),
            render: (_, e) => [e.method ? t(`receivables.methods.${e.method as Method}`) : null, e.reference, e.reason].filter(Boolean).join(' · '),
          },
        ]}
      />
    </div>
  );
};

interface Writes {
  partnerId: string;
  name: string;
  credit: Money;
  onWritten: (position: string) => void;
}

/** POST /partners/{partnerId}/credit/apply: all of the credit or an amount, to the invoices chosen or oldest due first. */
const ApplyCredit = ({ partnerId, name, credit, asOf, minPosition, onWritten }: Writes & { asOf: string; minPosition: string | undefined }) => {
  const { t, f } = useI18n();
  const message = useFeedback();
  const [open, setOpen] = useState(false);
  const invoices = useQuery({
    queryKey: ['receivables', 'open', asOf, { partnerId }, minPosition],
    queryFn: () => ok(api.GET('/receivables/open', { params: { query: { asOf, partnerId, ...after(minPosition) } } })),
    enabled: open,
  });
  const apply = useMutation({
    mutationFn: (values: { amount?: string; invoices?: string[] }) => {
      const amountMinor = minorOf(values.amount, credit.currency);
      return ok(
        api.POST('/partners/{partnerId}/credit/apply', {
          params: { path: { partnerId } },
          headers: idempotencyKey(),
          body: {
            ...(amountMinor !== null ? { amount: { amountMinor, currency: credit.currency } } : {}),
            ...(values.invoices?.length ? { invoices: values.invoices.map((invoiceId) => ({ invoiceId })) } : {}),
          },
        }),
      );
    },
    onSuccess: (accepted) => {
      setOpen(false);
      message.success(t('receivables.credit.applied'));
      onWritten(accepted.position);
    },
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t('receivables.credit.apply')}
      </Button>
      <Modal open={open} title={t('receivables.credit.applyTitle', { name })} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={(values) => apply.mutate(values)}>
          <Typography.Paragraph type="secondary">{t('receivables.credit.applyNote')}</Typography.Paragraph>
          <Form.Item name="amount" label={t('receivables.credit.applyAmount', { currency: credit.currency, credit: f.money(credit) })}>
            <InputNumber<string> stringMode min="0.01" step="0.01" className="full-width" />
          </Form.Item>
          <Form.Item name="invoices" label={t('receivables.credit.applyInvoices')}>
            <Select
              mode="multiple"
              allowClear
              loading={invoices.isPending}
              options={(invoices.data?.invoices ?? []).map((i) => ({
                value: i.invoiceId,
                label: `${i.invoiceId} · ${f.money(i.owed)} · ${f.date(i.oldestDueOn)}`,
              }))}
            />
          </Form.Item>
          {apply.error && <Refusal error={apply.error} />}
          <Button type="primary" htmlType="submit" loading={apply.isPending}>
            {t('receivables.credit.apply')}
          </Button>
        </Form>
      </Modal>
    </>
  );
};

/** POST /partners/{partnerId}/credit/refunds: part of the credit paid back to the dealer (the API refuses more than it). */
const RefundCredit = ({ partnerId, name, credit, onWritten }: Writes) => {
  const { t, f } = useI18n();
  const message = useFeedback();
  const [open, setOpen] = useState(false);
  const refund = useMutation({
    mutationFn: (values: { amount: string; method: Method; reference?: string }) =>
      ok(
        api.POST('/partners/{partnerId}/credit/refunds', {
          params: { path: { partnerId } },
          headers: idempotencyKey(),
          body: {
            amount: { amountMinor: minorOf(values.amount, credit.currency) ?? 0, currency: credit.currency },
            method: values.method,
            ...(values.reference?.trim() ? { reference: values.reference.trim() } : {}),
          },
        }),
      ),
    onSuccess: (accepted) => {
      setOpen(false);
      message.success(t('receivables.credit.refunded'));
      onWritten(accepted.position);
    },
  });
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('receivables.credit.refund')}</Button>
      <Modal open={open} title={t('receivables.credit.refundTitle', { name })} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={(values) => refund.mutate(values)} initialValues={{ method: 'bank_transfer' }}>
          <Typography.Paragraph type="secondary">{t('receivables.credit.refundNote', { credit: f.money(credit) })}</Typography.Paragraph>
          <AmountField currency={credit.currency} label={t('receivables.credit.refundAmount', { currency: credit.currency })} />
          <MethodAndReference />
          {refund.error && <Refusal error={refund.error} />}
          <Button type="primary" htmlType="submit" loading={refund.isPending}>
            {t('receivables.credit.refund')}
          </Button>
        </Form>
      </Modal>
    </>
  );
};
