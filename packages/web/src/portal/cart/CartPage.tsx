import { DeleteOutlined, ShoppingOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Empty, Form, Input, InputNumber, List, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useRef } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { useFeedback } from '../../shared/feedback';
import { lineNet, sum } from '../../shared/money';
import { useOnline } from '../../shared/useOnline';
import { discountOf, unitPriceOf, useCatalogue, usePartnerId } from '../queries';
import { MAX_QUANTITY, useCart } from './cart';

interface OrderForm {
  requestedDeliveryDate?: Dayjs;
  customerReference?: string;
}

/** A readable order id the dealer can quote on the phone: W- plus the date and a random part. */
const newOrderId = () => `W-${dayjs().format('YYMMDD')}-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;

/** The cart (kept across reloads), the requested date and reference, and placing the order, online only. */
export const CartPage = () => {
  const { t, f } = useI18n();
  const user = useSession().data!.user;
  const partnerId = usePartnerId();
  const cart = useCart(user.userId);
  const catalogue = useCatalogue();
  const online = useOnline();
  const navigate = useNavigate();
  const client = useQueryClient();
  const message = useFeedback();
  // One id and idempotency key per attempt: a retry after a dropped connection never places the order twice.
  const attempt = useRef<{ orderId: string; key: string } | null>(null);

  const bySku = useMemo(() => new Map((catalogue.data ?? []).map((p) => [p.sku, p])), [catalogue.data]);
  const lines = cart.lines.map((l) => {
    const product = bySku.get(l.sku);
    return { ...l, product, net: product ? lineNet(unitPriceOf(product), l.quantity, discountOf(product)) : null };
  });
  const currency = lines.find((l) => l.net)?.net?.currency ?? 'EUR';
  const total = sum(
    lines.flatMap((l) => (l.net ? [l.net] : [])),
    currency,
  );
  const unavailable = lines.filter((l) => catalogue.data && (!l.product || l.product.discontinued));

  const place = useMutation({
    mutationFn: async (form: OrderForm) => {
      attempt.current ??= { orderId: newOrderId(), key: crypto.randomUUID() };
      const { orderId, key } = attempt.current;
      const accepted = await ok(
        api.POST('/orders', {
          headers: { 'idempotency-key': key },
          body: {
            orderId,
            partnerId,
            lines: cart.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
            ...(form.requestedDeliveryDate ? { requestedDeliveryDate: form.requestedDeliveryDate.format('YYYY-MM-DD') } : {}),
            ...(form.customerReference?.trim() ? { customerReference: form.customerReference.trim() } : {}),
          },
        }),
      );
      return { orderId, position: accepted.position };
    },
    onSuccess: ({ orderId, position }) => {
      attempt.current = null;
      cart.clear();
      void client.invalidateQueries({ queryKey: ['orders'] });
      message.success(t('portal.cart.placed', { orderId }));
      navigate(`/portal/orders/${encodeURIComponent(orderId)}?minPosition=${position}&placed=1`);
    },
  });

  if (cart.lines.length === 0)
    return (
      <section className="page">
        <Typography.Title level={1} className="page-title">
          {t('portal.cart.title')}
        </Typography.Title>
        <Empty image={<ShoppingOutlined className="empty-icon" aria-hidden />} description={t('portal.cart.empty')}>
          <Link to="/portal">
            <Button type="primary">{t('portal.cart.browse')}</Button>
          </Link>
        </Empty>
      </section>
    );

  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('portal.cart.title')}
      </Typography.Title>
      <List
        className="cart-lines"
        dataSource={lines}
        renderItem={(l) => (
          <List.Item
            actions={[
              <Button
                key="remove"
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('portal.cart.remove', { name: l.product?.name ?? l.sku })}
                onClick={() => cart.setQuantity(l.sku, 0)}
              />,
            ]}
          >
            <div className="cart-line">
              <div>
                <Typography.Text strong>{l.product?.name ?? l.sku}</Typography.Text>
                <div>
                  <Typography.Text type="secondary">
                    {l.sku}
                    {l.product && ` · ${f.money(lineNet(unitPriceOf(l.product), 1, discountOf(l.product)))} / ${l.product.unit}`}
                  </Typography.Text>
                </div>
              </div>
              <div className="cart-line-figures">
                <InputNumber
                  min={1}
                  max={MAX_QUANTITY}
                  value={l.quantity}
                  onChange={(v) => cart.setQuantity(l.sku, v ?? 1)}
                  aria-label={t('portal.catalogue.quantityOf', { name: l.product?.name ?? l.sku })}
                  className="qty-input"
                />
                <span className="cart-line-net">{f.money(l.net)}</span>
              </div>
            </div>
          </List.Item>
        )}
      />
      {unavailable.length > 0 && <Alert type="warning" showIcon title={t('portal.cart.unavailable', { skus: unavailable.map((l) => l.sku).join(', ') })} />}
      <Card className="checkout">
        <div className="checkout-total">
          <span>{t('portal.cart.estimatedTotal')}</span>
          <strong>{f.money(total)}</strong>
        </div>
        <Typography.Paragraph type="secondary" className="checkout-note">
          {t('portal.cart.priceNote')}
        </Typography.Paragraph>
        <Form<OrderForm> layout="vertical" onFinish={(v) => place.mutate(v)} disabled={place.isPending}>
          <Form.Item name="requestedDeliveryDate" label={t('portal.cart.requestedDate')}>
            <DatePicker className="full-width" disabledDate={(d) => d.isBefore(dayjs(), 'day')} inputReadOnly />
          </Form.Item>
          <Form.Item name="customerReference" label={t('portal.cart.reference')} rules={[{ max: 80 }]}>
            <Input maxLength={80} placeholder={t('portal.cart.referencePlaceholder')} />
          </Form.Item>
          {place.error && <Alert type="error" showIcon className="form-alert" role="alert" title={place.error.message} />}
          {!online && <Alert type="warning" showIcon className="form-alert" title={t('portal.cart.offline')} />}
          <Button type="primary" htmlType="submit" size="large" block loading={place.isPending} disabled={!online || unavailable.length > 0}>
            {t('portal.cart.place')}
          </Button>
        </Form>
      </Card>
    </section>
  );
};
