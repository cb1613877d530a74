import { RedoOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Segmented, Skeleton, Tag, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { useFeedback } from '../../shared/feedback';
import { ORDER_STATUS_COLOR, orderStatusLabel } from '../../shared/labels';
import { useCart } from '../cart/cart';

const FILTERS = ['', 'placed', 'confirmed', 'shipped', 'delivered', 'invoiced', 'paid'] as const;

/** Puts a past order's lines in the cart (replacing what is there) and opens the cart: re-ordering in two taps. */
export const useReorder = () => {
  const user = useSession().data!.user;
  const cart = useCart(user.userId);
  const client = useQueryClient();
  const navigate = useNavigate();
  const message = useFeedback();
  const { t } = useI18n();
  return async (orderId: string) => {
    const order = await client.fetchQuery({
      queryKey: ['order', orderId],
      queryFn: () => ok(api.GET('/orders/{orderId}', { params: { path: { orderId } } })),
    });
    cart.replace(order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })));
    message.success(t('portal.orders.reordered', { orderId }));
    navigate('/portal/cart');
  };
};

export const OrderCard = ({ order, onReorder }: { order: Schemas['OrderSummary']; onReorder: (id: string) => void }) => {
  const { t, f } = useI18n();
  return (
    <Card size="small" className="order-card">
      <Link to={`/portal/orders/${encodeURIComponent(order.orderId)}`} className="order-card-link">
        <div className="order-card-head">
          <Typography.Text strong>{order.orderId}</Typography.Text>
          <Tag color={ORDER_STATUS_COLOR[order.status]}>{orderStatusLabel(t, order.status)}</Tag>
        </div>
        <div className="order-card-body">
          <span>{f.date(order.placedAt)}</span>
          <span>{t('portal.orders.lines', { count: order.lineCount })}</span>
          <strong>{f.money(order.total)}</strong>
        </div>
        {order.outstanding.amountMinor > 0 && (
          <Typography.Text type="warning">{t('portal.orders.outstanding', { amount: f.money(order.outstanding) })}</Typography.Text>
        )}
      </Link>
      <Button size="small" icon={<RedoOutlined />} onClick={() => onReorder(order.orderId)} className="order-card-action">
        {t('portal.orders.reorder')}
      </Button>
    </Card>
  );
};

/** The dealer's orders, newest first, by status, with quick re-order. */
export const OrdersPage = () => {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const reorder = useReorder();
  const orders = useInfiniteQuery({
    queryKey: ['orders', 'portal', status],
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/orders', {
          params: {
            query: { limit: 20, ...(status ? { status: status as Exclude<(typeof FILTERS)[number], ''> } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (orders.error) return <ProblemResult error={orders.error} />;
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('portal.orders.title')}
      </Typography.Title>
      <div className="category-scroll">
        <Segmented
          value={status}
          onChange={(v) => setParams(v ? { status: String(v) } : {}, { replace: true })}
          options={FILTERS.map((s) => ({ value: s, label: s ? orderStatusLabel(t, s) : t('common.all') }))}
        />
      </div>
      {orders.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t('portal.orders.none')} />
      ) : (
        <div className="order-list">
          {items.map((o) => (
            <OrderCard key={o.orderId} order={o} onReorder={(id) => void reorder(id)} />
          ))}
        </div>
      )}
      {orders.hasNextPage && (
        <Button block onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
          {t('common.more')}
        </Button>
      )}
    </section>
  );
};
