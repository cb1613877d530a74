import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space, Table, type TableColumnType, Tag, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import type { FigureColumn } from '../../shared/charts/ChartCard';
import { downloadCsv } from '../../shared/charts/csv';
import { totalPerCurrency } from '../../shared/receivables/totals';

export type OpenInvoice = Schemas['OpenInvoices']['invoices'][number];

const BUCKET_COLOR: Record<string, string> = { current: 'green', d1_30: 'gold', d31_60: 'orange', d61_90: 'volcano', over90: 'red' };

/** A column of an invoice list: shown in the table (sortable when it says how) and written to its CSV. */
export type InvoiceColumn<R> = FigureColumn<R> & { readonly sorter?: (a: R, b: R) => number; readonly csvOnly?: boolean; readonly width?: number };

/** The columns every invoice list starts with: the invoice, its order (a link), the dealer, its region, due date and days past due. */
export const invoiceColumns = <R extends OpenInvoice>(t: TFunction, f: ReturnType<typeof useI18n>['f']): InvoiceColumn<R>[] => [
  { key: 'invoice', title: t('receivables.invoice'), render: (i) => i.invoiceId, csv: (i) => i.invoiceId },
  {
    key: 'order',
    title: t('receivables.order'),
    render: (i) => <Link to={`/console/orders/${encodeURIComponent(i.orderId)}`}>{i.orderId}</Link>,
    csv: (i) => i.orderId,
  },
  {
    key: 'dealer',
    title: t('receivables.dealer'),
    render: (i) => i.name ?? i.partnerId,
    csv: (i) => i.partnerId,
    sorter: (a, b) => (a.name ?? a.partnerId).localeCompare(b.name ?? b.partnerId),
  },
  { key: 'dealerName', title: t('receivables.dealerName'), render: (i) => i.name, csv: (i) => i.name, csvOnly: true },
  { key: 'region', title: t('receivables.region'), render: (i) => i.region, csv: (i) => i.region },
  {
    key: 'dueOn',
    title: t('receivables.dueOn'),
    render: (i) => f.date(i.dueOn),
    csv: (i) => i.dueOn,
    sorter: (a, b) => a.dueOn.localeCompare(b.dueOn),
  },
  {
    key: 'daysPastDue',
    title: t('receivables.daysPastDue'),
    align: 'right',
    render: (i) => (i.daysPastDue > 0 ? <Tag color={BUCKET_COLOR[i.bucket]}>{f.number(i.daysPastDue)}</Tag> : '–'),
    csv: (i) => i.daysPastDue,
    sorter: (a, b) => a.daysPastDue - b.daysPastDue,
  },
];

/** Longer lists are paged in the browser (the whole list is in hand: its count, total and CSV are the whole list's). */
const PAGE_SIZE = 50;

export const rowKeyOf = (i: OpenInvoice) => `${i.orderId}.${i.invoiceId}`;

/** An invoice list: a line of tools (filters, the count, what is owed in all, CSV), then the table. */
export const InvoiceTable = <R extends OpenInvoice>({
  rows,
  columns,
  loading,
  csvName,
  title,
  tools,
  testId,
  selection,
}: {
  rows: readonly R[];
  columns: readonly InvoiceColumn<R>[];
  loading: boolean;
  csvName: string;
  title: string;
  tools?: ReactNode;
  testId: string;
  /** Rows a person may choose (the invoices a payment names), by `rowKeyOf`. */
  selection?: { keys: readonly string[]; onChange: (keys: string[]) => void; label: string };
}) => {
  const { t, f } = useI18n();
  const owed = totalPerCurrency(rows.map((r) => r.owed));
  return (
    <div className="receivables-panel" data-testid={testId}>
      <Space wrap>
        {tools}
        <Typography.Text>{t('receivables.shown', { count: rows.length })}</Typography.Text>
        {owed.length > 0 && <Typography.Text strong>{t('receivables.totalOwed', { amounts: owed.map((m) => f.money(m)).join(' · ') })}</Typography.Text>}
        <Tooltip title={t('receivables.downloadCsv', { name: title })}>
          <Button
            size="small"
            icon={<DownloadOutlined />}
            aria-label={t('receivables.downloadCsv', { name: title })}
            onClick={() =>
              downloadCsv(
                csvName,
                columns.map((c) => c.title),
                rows.map((r) => columns.map((c) => c.csv(r))),
              )
            }
          >
            {t('common.downloadCsv')}
          </Button>
        </Tooltip>
      </Space>
      <Table<R>
        size="small"
        rowKey={rowKeyOf}
        rowSelection={
          selection && {
            selectedRowKeys: [...selection.keys],
            onChange: (keys) => selection.onChange(keys.map(String)),
            getCheckboxProps: (r) => ({ 'aria-label': `${selection.label}: ${r.invoiceId}` }),
            columnTitle: <span className="visually-hidden">{selection.label}</span>,
          }
        }
        loading={loading}
        dataSource={rows as R[]}
        pagination={rows.length > PAGE_SIZE ? { pageSize: PAGE_SIZE, showSizeChanger: false, position: ['bottomRight'] } : false}
        scroll={{ x: 'max-content' }}
        columns={columns
          .filter((c) => !c.csvOnly)
          .map(
            (c): TableColumnType<R> => ({
              key: c.key,
              title: c.title,
              align: c.align,
              width: c.width,
              sorter: c.sorter,
              render: (_: unknown, r: R) => c.render(r),
            }),
          )}
      />
    </div>
  );
};
