import { DatePicker, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { i18n, useI18n } from '../../i18n';
import { receivables as en } from '../../i18n/sections/receivables.en';
import { receivables as zhCN } from '../../i18n/sections/receivables.zh-CN';
import { isIsoDate, todayUtc } from '../../shared/dates';
import { setOnly, useUrlFilters } from '../../shared/useUrlFilters';
import { FilterBar } from '../ListPage';
import { partnerFilter, usePartners } from '../partners/usePartners';
import { AgeingPanel } from './AgeingPanel';
import { CreditPanel } from './CreditPanel';
import { DunningPanel } from './DunningPanel';
import { OpenInvoicesPanel } from './OpenInvoicesPanel';
import { type PanelProps, RECEIVABLES_FILTERS } from './panel';

// The screen's messages, both languages, come with its code (about 1 KB compressed each) rather than by language through
// loadSection: a loader for them in the app's entry chunk cost the portal's first screen bytes it did not have.
i18n.addResourceBundle('en', 'translation', { receivables: en }, true, true);
i18n.addResourceBundle('zh-CN', 'translation', { receivables: zhCN }, true, true);

const TABS = ['ageing', 'open', 'dunning', 'credit'] as const;
type Tab = (typeof TABS)[number];

/**
 * What dealers owe, for finance (docs/receivables.md): the ageing by dealer or region with DSO, the open invoices behind
 * it, the dunning of those past due, and a dealer's credit (applied or refunded by finance), all as of the day picked (today by default), for a dealer or a region; the
 * state lives in the URL, so a view is bookmarked and shared as it is.
 */
export const ReceivablesPage = () => {
  const { t, f } = useI18n();
  const url = useUrlFilters(RECEIVABLES_FILTERS);
  const filterUrl = useUrlFilters(['partnerId', 'region'] as const);
  const partners = usePartners();
  const regions = [...new Set((partners.data ?? []).map((p) => p.region))].sort();
  const asOf = isIsoDate(url.values.asOf) ? url.values.asOf : todayUtc();
  const filter = setOnly({ partnerId: url.values.partnerId, region: url.values.region });
  const tab: Tab = (TABS as readonly string[]).includes(url.values.tab) ? (url.values.tab as Tab) : 'ageing';
  const [minPosition, setMinPosition] = useState<string>();
  const panel: PanelProps = { asOf, filter, url, minPosition, onWritten: setMinPosition };
  return (
    <section className="page">
      <div className="page-title-row">
        <Typography.Title level={1} className="page-title">
          {t('receivables.title')}
        </Typography.Title>
        <DatePicker
          aria-label={t('receivables.asOf')}
          prefix={<span className="muted">{t('receivables.asOf')}</span>}
          allowClear={url.values.asOf !== ''}
          value={dayjs(asOf)}
          onChange={(d) => url.set({ asOf: d?.format('YYYY-MM-DD') })}
        />
      </div>
      <Typography.Paragraph type="secondary">{t('receivables.asOfNote', { date: f.date(asOf) })}</Typography.Paragraph>
      <FilterBar
        url={filterUrl}
        filters={[partnerFilter(t, partners.data), { key: 'region', label: t('receivables.region'), options: regions.map((r) => ({ value: r, label: r })) }]}
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => url.set({ tab: k === 'ageing' ? null : k })}
        items={[
          { key: 'ageing', label: t('receivables.tabs.ageing'), children: <AgeingPanel {...panel} /> },
          { key: 'open', label: t('receivables.tabs.open'), children: <OpenInvoicesPanel {...panel} /> },
          { key: 'dunning', label: t('receivables.tabs.dunning'), children: <DunningPanel {...panel} /> },
          { key: 'credit', label: t('receivables.tabs.credit'), children: <CreditPanel {...panel} /> },
        ]}
      />
    </section>
  );
};
