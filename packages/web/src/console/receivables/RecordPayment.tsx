import { useMutation } from '@tanstack/react-query';
import { Button, DatePicker, Form, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, idempotencyKey, type Money, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { decimalToMinor, digitsOf, minorToDecimal } from '../../i18n/format';
import { todayUtc } from '../../shared/dates';
import { useFeedback } from '../../shared/feedback';
import { AmountField, type Method, MethodAndReference, Refusal } from './payment-fields';

interface PaymentForm {
  amount: string;
  receivedOn: Dayjs;
  method: Method;
  reference?: string;
}

/**
 * Money received from one dealer (POST /partners/{partnerId}/payments, docs/receivables.md): it pays the invoices chosen
 * in the list, in their order, or else the dealer's open invoices oldest due first; what no invoice takes is kept as the
 * dealer's credit. `onRecorded` gets the command's position, for the lists to be read again at it.
 */
export const RecordPayment = ({
  partnerId,
  dealerName,
  owed,
  named,
  onRecorded,
}: {
  partnerId: string;
  dealerName: string;
  /** What the dealer owes in the list's currency: the amount offered, and the currency paid in. */
  owed: Money;
  /** The invoices chosen in the list (oldest due first), each paid as much as is open on it; empty: oldest due first. */
  named: readonly { invoiceId: string; owed: Money }[];
  onRecorded: (position: string) => void;
}) => {
  const { t, f } = useI18n();
  const message = useFeedback();
  const [open, setOpen] = useState(false);
  const currency = owed.currency;
  const offered = named.length > 0 ? named.reduce((sum, i) => sum + i.owed.amountMinor, 0) : owed.amountMinor;
  const record = useMutation({
    mutationFn: (values: PaymentForm) =>
      ok(
        api.POST('/partners/{partnerId}/payments', {
          params: { path: { partnerId } },
          headers: idempotencyKey(),
          body: {
            amount: { amountMinor: decimalToMinor(String(values.amount), digitsOf(currency)) ?? 0, currency },
            receivedOn: values.receivedOn.format('YYYY-MM-DD'),
            method: values.method,
            ...(values.reference?.trim() ? { reference: values.reference.trim() } : {}),
            ...(named.length > 0 ? { invoices: named.map((i) => ({ invoiceId: i.invoiceId })) } : {}),
          },
        }),
      ),
    onSuccess: (accepted) => {
      setOpen(false);
      message.success(t('receivables.paymentRecorded'));
      onRecorded(accepted.position);
    },
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t('receivables.recordPayment')}
      </Button>
      <Modal open={open} title={t('receivables.recordPaymentFrom', { name: dealerName })} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Form<PaymentForm>
          layout="vertical"
          onFinish={(values) => record.mutate(values)}
          initialValues={{ amount: minorToDecimal(offered, digitsOf(currency)), receivedOn: dayjs(todayUtc()), method: 'bank_transfer' }}
        >
          <Typography.Paragraph type="secondary">
            {named.length > 0
              ? t('receivables.paysNamed', { invoices: named.map((i) => i.invoiceId).join(', ') })
              : t('receivables.paysOldest', { owed: f.money(owed) })}
          </Typography.Paragraph>
          <AmountField currency={currency} label={t('receivables.amountIn', { currency })} />
          <Form.Item name="receivedOn" label={t('receivables.receivedOn')} rules={[{ required: true }]}>
            {/* Not after today as the API counts it (UTC): a day in the future is refused. */}
            <DatePicker allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') > todayUtc()} />
          </Form.Item>
          <MethodAndReference />
          {record.error && <Refusal error={record.error} />}
          <Button type="primary" htmlType="submit" loading={record.isPending}>
            {t('receivables.recordPayment')}
          </Button>
        </Form>
      </Modal>
    </>
  );
};
