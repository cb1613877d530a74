import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Select, Space, Table, type TableColumnType, Tag, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { api, type Money, ok, type Schemas } from '../../api/client';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import type { FigureColumn } from '../../shared/charts/ChartCard';
import { downloadCsv } from '../../shared/charts/csv';
import { ProblemResult } from '../../shared/ErrorPage';
import { AGEING_BUCKETS, csvMoney } from '../../shared/receivables/ageing';
import { usePartners } from '../partners/usePartners';
import { after, type PanelProps } from './panel';
import { RecordPayment } from './RecordPayment';

type OpenInvoice = Schemas['OpenInvoices']['invoices'][number];
type DunnedInvoice = Schemas['Dunning']['invoices'][number];

const BUCKET_COLOR: Record<string, string> = { current: 'green', d1_30: 'gold', d31_60: 'orange', d61_90: 'volcano', over90: 'red' };
const LEVEL_COLOR = ['default', 'gold', 'orange', 'red'];

/** A column of an invoice list: shown in the table (sortable when it says how) and written to its CSV. */
type InvoiceColumn<R> = FigureColumn<R> & { readonly sorter?: (a: R, b: R) => number; readonly csvOnly?: boolean; readonly width?: number };

/** Amounts added up per currency, in minor units (never across currencies). */
const totalPerCurrency = (amounts: readonly Money[]): Money[] => {
  const sums = new Map<string, number>();
  for (const m of amounts) sums.set(m.currency, (sums.get(m.currency) ?? 0) + m.amountMinor);
  return [...sums].map(([currency, amountMinor]) => ({ currency, amountMinor }));
};

/** The columns every invoice list starts with: the invoice, its order (a link), the dealer, its region, due date and days past due. */
const invoiceColumns = <R extends OpenInvoice>(t: TFunction, f: ReturnType<typeof useI18n>['f']): InvoiceColumn<R>[] => [
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

const rowKeyOf = (i: OpenInvoice) => `${i.orderId}.${i.invoiceId}`;

/** An invoice list: a line of tools (filters, the count, what is owed in all, CSV), then the table. */
const InvoiceTable = <R extends OpenInvoice>({
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
        pagination={false}
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

const AGES = ['overdue', ...AGEING_BUCKETS] as const;

/**
 * The open invoices as of the day (GET /receivables/open): what each was invoiced, what payments and credit notes
 * settled, what is owed, days past due and its ageing bucket, each linking to its order; narrowed by age in the URL.
 */
export const OpenInvoicesPanel = ({ asOf, filter, url, minPosition, onWritten }: PanelProps) => {
  const { t, f } = useI18n();
  const session = useSession().data;
  const partners = usePartners();
  const [chosen, setChosen] = useState<string[]>([]);
  const open = useQuery({
    queryKey: ['receivables', 'open', asOf, filter, minPosition],
    queryFn: () => ok(api.GET('/receivables/open', { params: { query: { asOf, ...filter, ...after(minPosition) } } })),
    staleTime: 60_000,
  });
  if (open.error) return <ProblemResult error={open.error} />;
  // Money is received from one dealer: with a dealer chosen, finance records it here, naming the invoices ticked.
  const dealer = filter.partnerId ? partners.data?.find((p) => p.partnerId === filter.partnerId) : undefined;
  const paying = can(session, 'billing:write') && dealer !== undefined && open.data !== undefined;
  const all = open.data?.invoices ?? [];
  const currency = all[0]?.owed.currency ?? dealer?.creditLimit.currency ?? 'EUR';
  const owed = totalPerCurrency(all.map((i) => i.owed)).find((m) => m.currency === currency) ?? { amountMinor: 0, currency };
  const age = (AGES as readonly string[]).includes(url.values.age) ? url.values.age : '';
  const rows = (open.data?.invoices ?? []).filter((i) => !age || (age === 'overdue' ? i.bucket !== 'current' : i.bucket === age));
  const money = (key: 'invoiced' | 'settled' | 'owed'): InvoiceColumn<OpenInvoice> => ({
    key,
    title: t(`receivables.${key}`),
    align: 'right',
    render: (i) => f.money(i[key]),
    csv: (i) => csvMoney(i[key]),
    sorter: (a, b) => a[key].amountMinor - b[key].amountMinor,
  });
  const columns: InvoiceColumn<OpenInvoice>[] = [
    ...invoiceColumns<OpenInvoice>(t, f),
    money('owed'),
    { key: 'currency', title: t('receivables.currency'), render: (i) => i.owed.currency, csv: (i) => i.owed.currency, csvOnly: true },
    money('invoiced'),
    money('settled'),
    { key: 'invoicedOn', title: t('receivables.invoicedOn'), render: (i) => f.date(i.invoicedOn), csv: (i) => i.invoicedOn },
    {
      key: 'bucket',
      title: t('receivables.bucket'),
      render: (i) => t(`dashboard.ageingBuckets.${i.bucket as (typeof AGEING_BUCKETS)[number]}`),
      csv: (i) => i.bucket,
    },
    // The shipment an invoice bills, on orders invoiced per shipment: a column only when some invoice has one.
    {
      key: 'shipment',
      title: t('receivables.shipment'),
      render: (i) => i.shipmentId ?? '–',
      csv: (i) => i.shipmentId,
      csvOnly: !rows.some((i) => i.shipmentId),
    },
  ];
  const title = t('receivables.tabs.open');
  return (
    <InvoiceTable
      testId="open-invoices"
      title={title}
      rows={rows}
      columns={columns}
      loading={open.isPending}
      csvName={`open-invoices-${asOf}`}
      selection={paying ? { keys: chosen, onChange: setChosen, label: t('receivables.choose') } : undefined}
      tools={
        <>
          {paying && dealer && (
            <RecordPayment
              partnerId={dealer.partnerId}
              dealerName={dealer.name}
              owed={owed}
              named={all.filter((i) => chosen.includes(rowKeyOf(i)) && i.owed.currency === currency)}
              onRecorded={(position) => {
                setChosen([]);
                onWritten(position);
              }}
            />
          )}
          <Select
            allowClear
            placeholder={t('receivables.bucket')}
            aria-label={t('receivables.bucket')}
            value={age || undefined}
            onChange={(v: string | undefined) => url.set({ age: v })}
            options={AGES.map((a) => ({ value: a, label: a === 'overdue' ? t('receivables.overdueOnly') : t(`dashboard.ageingBuckets.${a}`) }))}
            className="filter-select"
          />
        </>
      }
    />
  );
};

/** A dunning level's name in the person's language (levels past those named: "Level 4"). */
const levelName = (t: TFunction, level: number) =>
  t(`receivables.levels.${level}` as never, { defaultValue: t('receivables.levelNamed', { level }) }) as string;

/**
 * The invoices past due as of the day (GET /receivables/dunning), oldest due first: the reminder level each has reached
 * and when each level was sent to the dealer; a level reached and not yet sent goes out with the next daily run.
 */
export const DunningPanel = ({ asOf, filter, minPosition }: PanelProps) => {
  const { t, f } = useI18n();
  const dunning = useQuery({
    queryKey: ['receivables', 'dunning', asOf, filter, minPosition],
    queryFn: () => ok(api.GET('/receivables/dunning', { params: { query: { asOf, ...filter, ...after(minPosition) } } })),
    staleTime: 60_000,
  });
  if (dunning.error) return <ProblemResult error={dunning.error} />;
  const columns: InvoiceColumn<DunnedInvoice>[] = [
    ...invoiceColumns<DunnedInvoice>(t, f),
    {
      key: 'owed',
      title: t('receivables.owed'),
      align: 'right',
      render: (i) => f.money(i.owed),
      csv: (i) => csvMoney(i.owed),
      sorter: (a, b) => a.owed.amountMinor - b.owed.amountMinor,
    },
    { key: 'currency', title: t('receivables.currency'), render: (i) => i.owed.currency, csv: (i) => i.owed.currency, csvOnly: true },
    {
      key: 'level',
      title: t('receivables.level'),
      render: (i) => <Tag color={LEVEL_COLOR[Math.min(i.level, 3)]}>{`${i.level} · ${levelName(t, i.level)}`}</Tag>,
      csv: (i) => i.level,
      sorter: (a, b) => a.level - b.level,
    },
    {
      key: 'sent',
      title: t('receivables.sent'),
      width: 260,
      render: (i) => {
        const unsent = i.level > Math.max(0, ...i.sent.map((s) => s.level));
        return (
          <ul className="plain-list">
            {i.sent.map((s) => (
              <li key={s.level}>{t('receivables.sentOn', { level: levelName(t, s.level), date: f.dateTime(s.sentAt) })}</li>
            ))}
            {unsent && (
              <li className="muted">
                {t('receivables.notSent')} · {t('receivables.nextRun')}
              </li>
            )}
          </ul>
        );
      },
      csv: (i) => i.sent.map((s) => `${s.level} ${s.sentAt}`).join('; '),
    },
  ];
  return (
    <>
      <Typography.Paragraph type="secondary">{t('receivables.dunningNote')}</Typography.Paragraph>
      <InvoiceTable
        testId="dunning"
        title={t('receivables.tabs.dunning')}
        rows={dunning.data?.invoices ?? []}
        columns={columns}
        loading={dunning.isPending}
        csvName={`dunning-${asOf}`}
      />
    </>
  );
};
