import { Card, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { ListFooter } from '../../shared/ListFooter';
import { useCursorList } from '../../shared/useCursorList';
import { setOnly, useUrlFilters } from '../../shared/useUrlFilters';

/** Stock levels per warehouse and SKU (filters in the URL), and the backorders in the order receipts will fill them. */
export const StockPage = () => {
  const { t, f } = useI18n();
  const filters = useUrlFilters(['tab', 'warehouseId', 'sku', 'low'] as const);
  const { tab, low, ...rest } = filters.values;
  const query = setOnly({ warehouseId: rest.warehouseId, sku: rest.sku.toUpperCase() });
  const levels = useCursorList(['stock-levels', query, low], (cursor) =>
    ok(api.GET('/stock/levels', { params: { query: { ...query, ...(low ? { lowOnly: 'true' } : {}), limit: 200, cursor } } })),
  );
  const backorders = useCursorList(['backorders'], (cursor) => ok(api.GET('/stock/backorders', { params: { query: { limit: 200, cursor } } })));
  const error = levels.error ?? backorders.error;
  if (error) return <ProblemResult error={error} />;
  const warehouses = [...new Map(levels.rows.map((l) => [l.warehouseId, l.warehouseName])).entries()];
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('console.nav.stock')}
      </Typography.Title>
      <Tabs
        activeKey={tab || 'levels'}
        onChange={(k) => filters.set({ tab: k === 'levels' ? null : k })}
        items={[
          {
            key: 'levels',
            label: t('stock.levels'),
            children: (
              <>
                <Card size="small" className="filters">
                  <Space wrap>
                    <Select
                      allowClear
                      placeholder={t('stock.warehouse')}
                      aria-label={t('stock.warehouse')}
                      value={filters.values.warehouseId || undefined}
                      onChange={(v) => filters.set({ warehouseId: v })}
                      options={warehouses.map(([id, name]) => ({ value: id, label: name }))}
                      className="filter-select-wide"
                    />
                    <Input.Search
                      allowClear
                      placeholder="SKU"
                      aria-label="SKU"
                      defaultValue={filters.values.sku}
                      onSearch={(v) => filters.set({ sku: v })}
                      className="filter-select"
                    />
                    <Select
                      value={low || 'all'}
                      aria-label={t('stock.lowOnly')}
                      onChange={(v) => filters.set({ low: v === 'all' ? null : 'true' })}
                      options={[
                        { value: 'all', label: t('common.all') },
                        { value: 'true', label: t('stock.lowOnly') },
                      ]}
                      className="filter-select"
                    />
                  </Space>
                </Card>
                <Table<Schemas['StockLevel']>
                  size="small"
                  rowKey={(l) => `${l.warehouseId}.${l.sku}`}
                  loading={levels.isPending}
                  dataSource={levels.rows}
                  pagination={false}
                  scroll={{ x: 1000 }}
                  columns={[
                    { title: t('stock.warehouse'), key: 'wh', render: (_, l) => l.warehouseName },
                    {
                      title: t('stock.product'),
                      key: 'sku',
                      render: (_, l) => (
                        <span>
                          {l.productName ?? l.sku}
                          <div className="muted">{l.sku}</div>
                        </span>
                      ),
                    },
                    { title: t('stock.onHand'), dataIndex: 'onHand', align: 'right' },
                    { title: t('stock.reserved'), dataIndex: 'reserved', align: 'right' },
                    { title: t('stock.available'), dataIndex: 'available', align: 'right', sorter: (a, b) => a.available - b.available },
                    { title: t('stock.backordered'), dataIndex: 'backordered', align: 'right' },
                    { title: t('stock.incoming'), dataIndex: 'incoming', align: 'right' },
                    {
                      title: t('stock.projected'),
                      key: 'projected',
                      align: 'right',
                      render: (_, l) => (l.low ? <Tag color="red">{l.projected}</Tag> : l.projected),
                    },
                    { title: t('stock.value'), key: 'value', align: 'right', render: (_, l) => f.money(l.value) },
                  ]}
                  footer={() => <ListFooter list={levels} />}
                />
              </>
            ),
          },
          {
            key: 'backorders',
            label: t('stock.backorders'),
            children: (
              <Table<Schemas['Backorder']>
                size="small"
                rowKey={(b) => `${b.orderId}.${b.lineNo}.${b.warehouseId}`}
                loading={backorders.isPending}
                dataSource={backorders.rows}
                pagination={false}
                scroll={{ x: 800 }}
                columns={[
                  { title: t('stock.queue'), dataIndex: 'queuePosition', align: 'right', width: 70 },
                  { title: t('stock.warehouse'), dataIndex: 'warehouseId' },
                  { title: t('stock.product'), dataIndex: 'sku' },
                  { title: t('orders.order'), dataIndex: 'orderId' },
                  { title: t('orders.dealer'), dataIndex: 'partnerId' },
                  { title: t('common.quantity'), dataIndex: 'backordered', align: 'right' },
                  { title: t('orders.placedAt'), key: 'since', render: (_, b) => f.date(b.backorderedSince) },
                ]}
                footer={() => <ListFooter list={backorders} />}
              />
            ),
          },
        ]}
      />
    </section>
  );
};
