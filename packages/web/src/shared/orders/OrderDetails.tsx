import { CheckCircleTwoTone, ClockCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { Alert, Card, Descriptions, List, Steps, Tag, Typography } from 'antd';
import type { Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ORDER_STATUS_COLOR, orderStatusLabel, reasonLabel } from '../labels';
import { LinesCard, RecordHead } from '../RecordHead';

export type Order = Schemas['Order'];
type Line = Order['lines'][number];

const STEPS = ['placedAt', 'approvedAt', 'confirmedAt', 'firstShippedAt', 'deliveredAt', 'invoicedAt', 'paidAt'] as const;

/** The review's outcome in words a dealer understands: approved automatically, waiting for a person (and why), or decided. */
export const ReviewOutcome = ({ review }: { review: Order['review'] }) => {
  const { t, f } = useI18n();
  if (!review || review.status === 'pending') return <Alert type="info" showIcon title={t('orders.review.pending')} />;
  const reasons = review.reasons.length > 0 && (
    <List
      size="small"
      dataSource={review.reasons}
      renderItem={(r) => <List.Item>{reasonLabel(t, r.code, r.message)}</List.Item>}
      className="review-reasons"
      aria-label={t('orders.review.reasons')}
    />
  );
  if (review.status === 'approved')
    return (
      <Alert
        type="success"
        showIcon
        icon={<CheckCircleTwoTone twoToneColor="#389e0d" />}
        title={review.automatic ? t('orders.review.approvedAutomatically') : t('orders.review.approvedBy', { date: f.dateTime(review.decidedAt) })}
        description={
          <>
            {review.note && <div>{review.note}</div>}
            {reasons}
          </>
        }
      />
    );
  if (review.status === 'queued')
    return (
      <Alert
        type="warning"
        showIcon
        icon={<ClockCircleTwoTone twoToneColor="#d48806" />}
        title={t('orders.review.queued')}
        description={
          <>
            <div>{t('orders.review.queuedLead')}</div>
            {reasons}
          </>
        }
      />
    );
  return (
    <Alert
      type="error"
      showIcon
      icon={<CloseCircleTwoTone twoToneColor="#cf1322" />}
      title={review.status === 'rejected' ? t('orders.review.rejected') : t('orders.review.cancelled')}
      description={
        <>
          {review.note && <div>{review.note}</div>}
          {reasons}
        </>
      }
    />
  );
};

/** Everything about one order: its steps with dates, the review, lines, shipments with tracking, invoice, credits and payments. */
export const OrderDetails = ({ order, productName }: { order: Order; productName: (sku: string) => string | undefined }) => {
  const { t, f } = useI18n();
  const stopped = order.dates.rejectedAt ?? order.dates.cancelledAt;
  const current = STEPS.reduce((at, key, i) => (order.dates[key] ? i : at), 0);
  // The whole order's invoice, or each shipment's on an order invoiced per shipment (docs/receivables.md).
  const invoices = order.invoice
    ? [{ shipmentId: null, invoice: order.invoice }]
    : order.shipments.flatMap((s) => (s.invoice ? [{ shipmentId: s.shipmentId, invoice: s.invoice }] : []));
  return (
    <div className="order-details">
      <RecordHead
        title={t('orders.title', { orderId: order.orderId })}
        subtitle={order.partnerName ?? order.partnerId}
        status={{ label: orderStatusLabel(t, order.status), color: ORDER_STATUS_COLOR[order.status] }}
        columns={{ xs: 1, sm: 2, lg: 4 }}
        facts={[
          { key: 'placedAt', label: t('orders.placedAt'), value: f.dateTime(order.placedAt) },
          { key: 'reference', label: t('orders.reference'), value: order.customerReference ?? t('common.none') },
          {
            key: 'requestedDate',
            label: t('orders.requestedDate'),
            value: order.requestedDeliveryDate ? f.date(order.requestedDeliveryDate) : t('common.none'),
          },
          { key: 'total', label: t('orders.total'), value: <strong>{f.money(order.total)}</strong> },
        ]}
      />
      <ReviewOutcome review={order.review} />
      <Card size="small" title={t('orders.progress')}>
        {stopped ? (
          <Alert
            type="error"
            title={order.dates.rejectedAt ? t('orders.rejectedOn', { date: f.dateTime(stopped) }) : t('orders.cancelledOn', { date: f.dateTime(stopped) })}
            description={order.statusReason}
          />
        ) : (
          <Steps
            direction="vertical"
            size="small"
            current={current}
            className="order-steps"
            items={STEPS.map((key) => ({
              title: t(`orders.steps.${key}`),
              description: order.dates[key] ? f.dateTime(order.dates[key]) : undefined,
              status: order.dates[key] ? 'finish' : 'wait',
            }))}
          />
        )}
      </Card>
      <LinesCard<Line>
        title={t('orders.lines')}
        minWidth={560}
        rows={order.lines}
        rowKey="lineNo"
        columns={[
          {
            title: t('orders.product'),
            key: 'sku',
            render: (_, l) => (
              <span>
                {productName(l.sku) ?? l.sku}
                <div className="muted">{l.sku}</div>
              </span>
            ),
          },
          { title: t('common.quantity'), dataIndex: 'quantity', align: 'right' },
          { title: t('orders.unitPrice'), key: 'unit', align: 'right', render: (_, l) => f.money(l.unitPrice) },
          { title: t('orders.discount'), key: 'discount', align: 'right', render: (_, l) => f.bps(l.discountBps) },
          { title: t('orders.net'), key: 'net', align: 'right', render: (_, l) => f.money(l.netAmount) },
          {
            title: t('orders.shippedDelivered'),
            key: 'fulfilment',
            align: 'right',
            render: (_, l) => `${l.shipped} / ${l.delivered}${l.returned ? ` (−${l.returned})` : ''}`,
          },
        ]}
      />
      <Card size="small" title={t('orders.shipments')}>
        {order.shipments.length === 0 ? (
          <Typography.Text type="secondary">{t('orders.noShipments')}</Typography.Text>
        ) : (
          <List
            dataSource={order.shipments}
            renderItem={(s) => (
              <List.Item>
                <List.Item.Meta
                  title={`${s.shipmentId} · ${t('orders.units', { count: s.quantity })}`}
                  description={
                    <>
                      <div>
                        {t('orders.carrier')}: {s.carrier ?? t('common.none')} · {t('orders.tracking')}: {s.trackingNumber ?? t('common.none')}
                      </div>
                      <div>
                        {t('orders.shippedOn', { date: f.dateTime(s.shippedAt) })}
                        {s.deliveredAt ? ` · ${t('orders.deliveredOn', { date: f.dateTime(s.deliveredAt) })}` : ''}
                      </div>
                    </>
                  }
                />
                <Tag color={s.deliveredAt ? 'green' : 'blue'}>{s.deliveredAt ? t('orders.delivered') : t('orders.inTransit')}</Tag>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title={t('orders.billing')}>
        {invoices.length === 0 ? (
          <Typography.Text type="secondary">{t('orders.notInvoiced')}</Typography.Text>
        ) : (
          <>
            {invoices.map(({ shipmentId, invoice }) => (
              <Descriptions key={invoice.invoiceId} size="small" column={{ xs: 1, sm: 2 }} className="invoice-facts">
                <Descriptions.Item label={t('orders.invoice')}>{shipmentId ? `${invoice.invoiceId} · ${shipmentId}` : invoice.invoiceId}</Descriptions.Item>
                <Descriptions.Item label={t('orders.invoicedOn')}>{f.date(invoice.invoicedAt)}</Descriptions.Item>
                <Descriptions.Item label={t('orders.invoiceAmount')}>{f.money(invoice.amount)}</Descriptions.Item>
                <Descriptions.Item label={t('orders.dueDate')}>{f.date(invoice.dueDate)}</Descriptions.Item>
              </Descriptions>
            ))}
            <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
              <Descriptions.Item label={t('orders.credited')}>{f.money(order.credited)}</Descriptions.Item>
              <Descriptions.Item label={t('orders.paid')}>{f.money(order.paid)}</Descriptions.Item>
              <Descriptions.Item label={t('orders.outstanding')}>
                <strong>{f.money(order.outstanding)}</strong>
              </Descriptions.Item>
            </Descriptions>
          </>
        )}
      </Card>
    </div>
  );
};
