import { MessageOutlined, RedoOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Skeleton, Space } from 'antd';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { OrderDetails } from '../../shared/orders/OrderDetails';
import { useCatalogue } from '../queries';
import { useReorder } from './OrdersPage';

/** One of the dealer's orders, followed through its steps; another dealer's order answers "not found". */
export const OrderPage = () => {
  const { t } = useI18n();
  const orderId = useParams().orderId ?? '';
  const [params] = useSearchParams();
  const minPosition = params.get('minPosition') ?? undefined;
  const catalogue = useCatalogue();
  const reorder = useReorder();
  const order = useQuery({
    queryKey: ['order', orderId],
    queryFn: () => ok(api.GET('/orders/{orderId}', { params: { path: { orderId }, query: minPosition ? { minPosition } : {} } })),
    // Right after placing, the automated review runs in the background: look again until it has spoken.
    refetchInterval: (q) => (q.state.data && (!q.state.data.review || q.state.data.review.status === 'pending') ? 1000 : false),
  });
  const names = useMemo(() => new Map((catalogue.data ?? []).map((p) => [p.sku, p.name])), [catalogue.data]);
  if (order.error) return <ProblemResult error={order.error} />;
  if (!order.data) return <Skeleton active />;
  return (
    <section className="page">
      <Space wrap className="page-actions">
        <Button icon={<RedoOutlined />} onClick={() => void reorder(orderId)}>
          {t('portal.orders.reorder')}
        </Button>
        <Link to={`/portal/messages?new=order&id=${encodeURIComponent(orderId)}`}>
          <Button icon={<MessageOutlined />}>{t('portal.orders.ask')}</Button>
        </Link>
      </Space>
      <OrderDetails order={order.data} productName={(sku) => names.get(sku)} />
    </section>
  );
};
