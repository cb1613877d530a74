import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { AGEING_BUCKETS, csvMoney } from '../../shared/receivables/ageing';
import { totalPerCurrency } from '../../shared/receivables/totals';
import { usePartners } from '../partners/usePartners';
import { type InvoiceColumn, InvoiceTable, invoiceColumns, type OpenInvoice, rowKeyOf } from './InvoiceTable';
import { after, type PanelProps } from './panel';
import { RecordPayment } from './RecordPayment';

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
