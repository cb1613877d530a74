import { MinusOutlined, PlusOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Input, InputNumber, Segmented, Skeleton, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { categoryLabel } from '../../shared/labels';
import { lineNet } from '../../shared/money';
import { useCart } from '../cart/cart';
import { discountOf, type Product, unitPriceOf, useCatalogue, usePartner } from '../queries';

type Availability = Schemas['CatalogueAvailability']['items'][number];

const useAvailability = () => useQuery({ queryKey: ['availability'], queryFn: () => ok(api.GET('/catalogue/availability')), staleTime: 60_000 });

export const AvailabilityTag = ({ availability }: { availability: Availability | undefined }) => {
  const { t } = useI18n();
  if (!availability) return <Tag>{t('portal.catalogue.onRequest')}</Tag>;
  if (availability.status === 'in_stock') return <Tag color="green">{t('portal.catalogue.inStock')}</Tag>;
  return (
    <Tag color="orange">
      {availability.shipsInDays === null ? t('portal.catalogue.shipsLater') : t('portal.catalogue.shipsInDays', { count: availability.shipsInDays })}
    </Tag>
  );
};

const ProductRow = ({
  product,
  availability,
  inCart,
  onAdd,
}: {
  product: Product;
  availability?: Availability;
  inCart: number;
  onAdd: (q: number) => void;
}) => {
  const { t, f } = useI18n();
  const [quantity, setQuantity] = useState(1);
  const price = lineNet(unitPriceOf(product), 1, discountOf(product));
  const discounted = price.amountMinor < product.listPrice.amountMinor;
  return (
    <li className="product">
      <div className="product-main">
        <Typography.Text strong className="product-name">
          {product.name}
        </Typography.Text>
        <Typography.Text type="secondary" className="product-meta">
          {product.sku} · {categoryLabel(t, product.category)} · {product.unit}
        </Typography.Text>
        <div className="product-tags">
          <AvailabilityTag availability={availability} />
          {inCart > 0 && <Tag color="blue">{t('portal.catalogue.inCart', { count: inCart })}</Tag>}
        </div>
      </div>
      <div className="product-buy">
        <div className="product-price">
          <span className="price">{f.money(price)}</span>
          {discounted && <span className="price-list">{f.money(product.listPrice)}</span>}
        </div>
        <Space.Compact>
          <Button icon={<MinusOutlined />} aria-label={t('portal.catalogue.less')} onClick={() => setQuantity((q) => Math.max(1, q - 1))} />
          <InputNumber
            min={1}
            max={9999}
            value={quantity}
            onChange={(v) => setQuantity(v ?? 1)}
            controls={false}
            className="qty-input"
            aria-label={t('portal.catalogue.quantityOf', { name: product.name })}
          />
          <Button icon={<PlusOutlined />} aria-label={t('portal.catalogue.more')} onClick={() => setQuantity((q) => Math.min(9999, q + 1))} />
        </Space.Compact>
        <Button
          type="primary"
          icon={<ShoppingCartOutlined />}
          onClick={() => onAdd(quantity)}
          aria-label={t('portal.catalogue.addNamed', { name: product.name })}
        >
          {t('portal.catalogue.add')}
        </Button>
      </div>
    </li>
  );
};

/** The catalogue at the dealer's own tier prices, searchable, by category, with availability; works offline from the cache. */
export const CataloguePage = () => {
  const { t, f } = useI18n();
  const user = useSession().data!.user;
  const partner = usePartner();
  const catalogue = useCatalogue();
  const availability = useAvailability();
  const cart = useCart(user.userId);
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const setParam = (key: string, value: string) =>
    setParams(
      (p) => {
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      },
      { replace: true },
    );
  const products = useMemo(() => (catalogue.data ?? []).filter((p) => !p.discontinued), [catalogue.data]);
  const categories = useMemo(() => [...new Set(products.map((p) => p.category))].sort(), [products]);
  const shown = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return products.filter((p) => (!category || p.category === category) && words.every((w) => `${p.name} ${p.sku} ${p.category}`.toLowerCase().includes(w)));
  }, [products, search, category]);
  const availabilityOf = useMemo(() => new Map((availability.data?.items ?? []).map((a) => [a.sku, a])), [availability.data]);
  const inCart = useMemo(() => new Map(cart.lines.map((l) => [l.sku, l.quantity])), [cart.lines]);
  const cartTotal = useMemo(() => {
    const bySku = new Map(products.map((p) => [p.sku, p]));
    let minor = 0;
    let currency = 'EUR';
    for (const l of cart.lines) {
      const p = bySku.get(l.sku);
      if (!p) continue;
      const net = lineNet(unitPriceOf(p), l.quantity, discountOf(p));
      minor += net.amountMinor;
      currency = net.currency;
    }
    return { amountMinor: minor, currency };
  }, [cart.lines, products]);

  if (catalogue.error || partner.error) return <ProblemResult error={catalogue.error ?? partner.error} />;
  return (
    <section className="page">
      <div className="page-title-row">
        <Typography.Title level={1} className="page-title">
          {t('portal.catalogue.title')}
        </Typography.Title>
        {partner.data && (
          <Typography.Text type="secondary">{t('portal.catalogue.pricesFor', { tier: partner.data.tier, name: partner.data.name })}</Typography.Text>
        )}
      </div>
      <div className="catalogue-tools">
        <Input.Search
          allowClear
          placeholder={t('portal.catalogue.searchPlaceholder')}
          aria-label={t('common.search')}
          defaultValue={search}
          onChange={(e) => setParam('q', e.target.value)}
          size="large"
        />
        <div className="category-scroll">
          <Segmented
            value={category}
            onChange={(v) => setParam('category', String(v))}
            options={[{ value: '', label: t('common.all') }, ...categories.map((c) => ({ value: c, label: categoryLabel(t, c) }))]}
          />
        </div>
      </div>
      {catalogue.isPending ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : shown.length === 0 ? (
        <Empty description={t('portal.catalogue.noMatch')} />
      ) : (
        <ul className="product-list" aria-label={t('portal.catalogue.title')}>
          {shown.map((p) => (
            <ProductRow key={p.sku} product={p} availability={availabilityOf.get(p.sku)} inCart={inCart.get(p.sku) ?? 0} onAdd={(q) => cart.add(p.sku, q)} />
          ))}
        </ul>
      )}
      {cart.count > 0 && (
        <Link to="/portal/cart" className="cart-bar">
          <ShoppingCartOutlined aria-hidden />
          <span>{t('portal.catalogue.viewCart', { count: cart.count })}</span>
          <strong>{f.money(cartTotal)}</strong>
        </Link>
      )}
    </section>
  );
};
