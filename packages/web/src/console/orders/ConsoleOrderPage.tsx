import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, InputNumber, Modal, Skeleton, Space, Tabs } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { allPages, api, idempotencyKey, ok } from '../../api/client';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { decimalToMinor, digitsOf, minorToDecimal } from '../../i18n/format';
import { ProblemResult } from '../../shared/ErrorPage';
import { useFeedback } from '../../shared/feedback';
import { History } from '../../shared/History';
import { type Order, OrderDetails } from '../../shared/orders/OrderDetails';

type Action = 'confirm' | 'cancel' | 'ship' | 'invoice' | 'payment';

const useProducts = () =>
  useQuery({
    queryKey: ['products', 'all'],
    queryFn: () => allPages((cursor) => ok(api.GET('/products', { params: { query: { limit: 500, cursor, includeDiscontinued: 'true' } } }))),
    staleTime: 5 * 60_000,
  });

/** What may be done next with this order, by its state and the caller's permissions. */
const nextActions = (order: Order, permissions: (p: string) => boolean): Action[] => {
  const actions: Action[] = [];
  const shippedNothing = order.shippedQty === 0;
  if (order.status === 'approved' && permissions('orders:write')) actions.push('confirm');
  if (['confirmed', 'partially_shipped'].includes(order.status) && permissions('orders:write')) actions.push('ship');
  if (order.status === 'delivered' && !order.invoice && permissions('billing:write')) actions.push('invoice');
  if (order.invoice && order.outstanding.amountMinor > 0 && permissions('billing:write')) actions.push('payment');
  if (shippedNothing && ['placed', 'approved', 'confirmed'].includes(order.status) && permissions('orders:place')) actions.push('cancel');
  return actions;
};

/** One order for staff: its details, the next steps their role may take, and the verified history. */
export const ConsoleOrderPage = () => {
  const { t } = useI18n();
  const orderId = useParams().orderId ?? '';
  const session = useSession().data;
  const client = useQueryClient();
  const message = useFeedback();
  const products = useProducts();
  const names = useMemo(() => new Map((products.data ?? []).map((p) => [p.sku, p.name])), [products.data]);
  const [minPosition, setMinPosition] = useState<string>();
  const [open, setOpen] = useState<Action | null>(null);
  const order = useQuery({
    queryKey: ['order', orderId, minPosition],
    queryFn: () => ok(api.GET('/orders/{orderId}', { params: { path: { orderId }, query: minPosition ? { minPosition } : {} } })),
    placeholderData: (previous) => previous,
  });
  const history = useQuery({
    queryKey: ['order-history', orderId, minPosition],
    queryFn: () => ok(api.GET('/orders/{orderId}/history', { params: { path: { orderId } } })),
    enabled: can(session, 'audit:read') || can(session, 'orders:read'),
  });
  const path = { orderId };
  const act = useMutation({
    mutationFn: async ({ action, values }: { action: Action | 'deliver'; values: Record<string, unknown> }) => {
      const headers = idempotencyKey();
      const o = order.data!;
      switch (action) {
        case 'confirm':
          return ok(api.POST('/orders/{orderId}/confirm', { params: { path }, headers, body: {} }));
        case 'cancel':
          return ok(api.POST('/orders/{orderId}/cancel', { params: { path }, headers, body: { reason: String(values.reason) } }));
        case 'ship':
          return ok(
            api.POST('/orders/{orderId}/shipments', {
              params: { path },
              headers,
              body: {
                lines: o.lines.filter((l) => l.quantity > l.shipped).map((l) => ({ lineNo: l.lineNo, quantity: l.quantity - l.shipped })),
                ...(values.carrier ? { carrier: String(values.carrier) } : {}),
                ...(values.trackingNumber ? { trackingNumber: String(values.trackingNumber) } : {}),
              },
            }),
          );
        case 'deliver':
          return ok(
            api.POST('/orders/{orderId}/shipments/{shipmentId}/deliver', {
              params: { path: { orderId, shipmentId: String(values.shipmentId) } },
              headers,
              body: {},
            }),
          );
        case 'invoice':
          return ok(api.POST('/orders/{orderId}/invoice', { params: { path }, headers, body: { dueDate: (values.dueDate as Dayjs).format('YYYY-MM-DD') } }));
        case 'payment':
          return ok(
            api.POST('/orders/{orderId}/payments', {
              params: { path },
              headers,
              body: {
                amount: { amountMinor: decimalToMinor(String(values.amount), digitsOf(o.outstanding.currency)) ?? 0, currency: o.outstanding.currency },
                ...(values.reference ? { reference: String(values.reference) } : {}),
              },
            }),
          );
      }
    },
    onSuccess: (accepted) => {
      setOpen(null);
      message.success(t('orders.actions.done'));
      setMinPosition(accepted.position);
      void client.invalidateQueries({ queryKey: ['orders'] });
    },
  });
  if (order.error) return <ProblemResult error={order.error} />;
  if (!order.data) return <Skeleton active />;
  const o = order.data;
  const actions = nextActions(o, (p) => can(session, p));
  const undelivered = o.shipments.filter((s) => !s.deliveredAt);
  return (
    <section className="page">
      <Space wrap className="page-actions">
        {o.review?.status === 'queued' && can(session, 'orders:write') && (
          <Link to="/console/review-queue">
            <Button type="primary">{t('orders.actions.review')}</Button>
          </Link>
        )}
        {actions.map((a) => (
          <Button
            key={a}
            type={a === 'cancel' ? 'default' : 'primary'}
            danger={a === 'cancel'}
            onClick={() => (a === 'confirm' ? act.mutate({ action: a, values: {} }) : setOpen(a))}
            loading={act.isPending && act.variables?.action === a}
          >
            {t(`orders.actions.${a}`)}
          </Button>
        ))}
        {can(session, 'orders:write') &&
          undelivered.map((s) => (
            <Button key={s.shipmentId} onClick={() => act.mutate({ action: 'deliver', values: { shipmentId: s.shipmentId } })}>
              {t('orders.actions.deliver', { shipmentId: s.shipmentId })}
            </Button>
          ))}
      </Space>
      {act.error && !open && <Alert type="error" showIcon title={act.error.message} className="form-alert" />}
      <Tabs
        items={[
          { key: 'details', label: t('common.details'), children: <OrderDetails order={o} productName={(sku) => names.get(sku)} /> },
          ...(history.data ? [{ key: 'history', label: t('audit.history'), children: <History history={history.data} /> }] : []),
        ]}
      />
      <Modal
        open={open !== null && open !== 'confirm'}
        title={open ? t(`orders.actions.${open}`) : ''}
        onCancel={() => setOpen(null)}
        footer={null}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          onFinish={(values) => open && act.mutate({ action: open, values })}
          initialValues={{
            dueDate: dayjs().add(30, 'day'),
            amount: minorToDecimal(o.outstanding.amountMinor, digitsOf(o.outstanding.currency)),
          }}
        >
          {open === 'cancel' && (
            <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true }]}>
              <Input.TextArea maxLength={500} />
            </Form.Item>
          )}
          {open === 'ship' && (
            <>
              <Form.Item name="carrier" label={t('orders.carrier')}>
                <Input maxLength={80} />
              </Form.Item>
              <Form.Item name="trackingNumber" label={t('orders.tracking')}>
                <Input maxLength={80} />
              </Form.Item>
              <Alert type="info" title={t('orders.actions.shipAll')} className="form-alert" />
            </>
          )}
          {open === 'invoice' && (
            <Form.Item name="dueDate" label={t('orders.dueDate')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          )}
          {open === 'payment' && (
            <>
              <Form.Item name="amount" label={`${t('common.amount')} (${o.outstanding.currency})`} rules={[{ required: true }]}>
                <InputNumber<string> stringMode min="0.01" step="0.01" className="full-width" />
              </Form.Item>
              <Form.Item name="reference" label={t('common.reference')}>
                <Input maxLength={80} />
              </Form.Item>
            </>
          )}
          {act.error && <Alert type="error" showIcon title={act.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={act.isPending}>
            {t('common.confirm')}
          </Button>
        </Form>
      </Modal>
    </section>
  );
};
