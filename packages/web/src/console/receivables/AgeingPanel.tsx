import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Row, Segmented, Skeleton, Statistic } from 'antd';
import { Fragment } from 'react';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ChartCard, type FigureColumn } from '../../shared/charts/ChartCard';
import { ProblemResult } from '../../shared/ErrorPage';
import { type AgeingRow, ageingChart, ageingFigures, csvMoney } from '../../shared/receivables/ageing';
import { after, type PanelProps, useHrefWith } from './panel';

const DSO_PERIODS = ['month', 'quarter', 'year'] as const;
type Totals = Schemas['AgedReceivables']['totals'][number];
type DsoFigures = Schemas['Dso']['dso'][number];

/**
 * The ageing as of the day (GET /receivables/ageing): per currency, what is outstanding and overdue, and DSO over the
 * period to that day (GET /receivables/dso); then each dealer's or region's buckets as a chart, a table and CSV, each row
 * linking to the open invoices behind it.
 */
export const AgeingPanel = ({ asOf, filter, url, minPosition }: PanelProps) => {
  const { t, f } = useI18n();
  const hrefWith = useHrefWith();
  const by = url.values.by === 'region' ? 'region' : 'partner';
  const period = DSO_PERIODS.find((p) => p === url.values.dso) ?? 'month';
  const ageing = useQuery({
    queryKey: ['receivables', 'ageing', asOf, by, filter, minPosition],
    queryFn: () => ok(api.GET('/receivables/ageing', { params: { query: { asOf, by, ...filter, ...after(minPosition) } } })),
    staleTime: 60_000,
  });
  const dso = useQuery({
    queryKey: ['receivables', 'dso', period, asOf, filter, minPosition],
    queryFn: () => ok(api.GET('/receivables/dso', { params: { query: { period, asOf, ...filter, ...after(minPosition) } } })),
    staleTime: 60_000,
  });
  if (ageing.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (ageing.isError) return <ProblemResult error={ageing.error} />;
  const { totals, rows } = ageing.data;
  if (totals.length === 0) return <Empty description={t('receivables.noReceivables', { date: f.date(asOf) })} />;
  const name = (r: AgeingRow) => r.name ?? r.group;
  const columns: FigureColumn<AgeingRow>[] = [
    {
      key: 'group',
      title: by === 'partner' ? t('receivables.dealer') : t('receivables.region'),
      render: (r) => <Link to={hrefWith({ tab: 'open', [by === 'partner' ? 'partnerId' : 'region']: r.group })}>{name(r)}</Link>,
      csv: (r) => r.group,
    },
    { key: 'currency', title: t('receivables.currency'), render: (r) => r.currency, csv: (r) => r.currency },
    ...ageingFigures(t, f),
    { key: 'invoices', title: t('receivables.openInvoicesColumn'), align: 'right', render: (r) => f.number(r.openInvoices), csv: (r) => r.openInvoices },
    {
      key: 'credit',
      title: t('receivables.creditBalanceColumn'),
      align: 'right',
      render: (r) => f.money(r.creditBalance),
      csv: (r) => csvMoney(r.creditBalance),
    },
  ];
  const byPicker = (
    <Segmented
      size="small"
      value={by}
      onChange={(v) => url.set({ by: v === 'region' ? 'region' : null })}
      options={[
        { value: 'partner', label: t('receivables.byPartner') },
        { value: 'region', label: t('receivables.byRegion') },
      ]}
    />
  );
  return (
    <div className="receivables-panel">
      <Row gutter={[12, 12]}>
        {totals.map((total) => (
          <Fragment key={total.currency}>
            <Headline total={total} />
            <Col xs={24} lg={8}>
              <Card size="small" className="kpi" data-testid={`recv-dso-${total.currency}`} loading={dso.isPending}>
                <DsoFigure figures={dso.data?.dso.find((d) => d.currency === total.currency)} currency={total.currency} />
                {dso.data && (
                  <div className="kpi-growth">
                    <span className="growth muted">{t('receivables.range', { from: f.date(dso.data.from), to: f.date(dso.data.to) })}</span>
                  </div>
                )}
                <Segmented
                  size="small"
                  className="dso-period"
                  aria-label={t('receivables.dsoPeriod')}
                  value={period}
                  onChange={(v) => url.set({ dso: v === 'month' ? null : String(v) })}
                  options={DSO_PERIODS.map((p) => ({ value: p, label: t(`receivables.periods.${p}`) }))}
                />
              </Card>
            </Col>
          </Fragment>
        ))}
      </Row>
      {totals.map(({ currency }) => {
        const charted = rows.filter((r) => r.currency === currency);
        return (
          <ChartCard<AgeingRow>
            key={currency}
            testId={`chart-ageing-${currency}`}
            title={t('receivables.ageingChart', { date: f.date(asOf), currency })}
            rows={charted}
            rowKey={(r) => `${r.group}.${r.currency}`}
            csvName={`ageing-by-${by}-${asOf}-${currency}`}
            columns={columns}
            extra={byPicker}
            height={Math.max(220, charted.length * 26 + 70)}
            option={ageingChart(t, f, charted, name)}
          />
        );
      })}
    </div>
  );
};

/** Outstanding and overdue in one currency, with how many invoices, what is not yet due and any credit in dealers' favour. */
const Headline = ({ total }: { total: Totals }) => {
  const { t, f } = useI18n();
  return (
    <>
      <Col xs={24} sm={12} lg={8}>
        <Card size="small" className="kpi" data-testid={`recv-outstanding-${total.currency}`}>
          <Statistic title={t('receivables.outstanding', { currency: total.currency })} value={f.money(total.outstanding)} />
          <div className="kpi-growth">
            <span className="growth muted">{t('receivables.openInvoices', { count: total.openInvoices })}</span>
            <span className="growth muted">{t('receivables.notYetDue', { amount: f.money(total.buckets.current) })}</span>
          </div>
        </Card>
      </Col>
      <Col xs={24} sm={12} lg={8}>
        <Card size="small" className="kpi" data-testid={`recv-overdue-${total.currency}`}>
          <Statistic title={t('receivables.overdue', { currency: total.currency })} value={f.money(total.overdue)} />
          <div className="kpi-growth">
            <span className="growth muted">{t('receivables.overdueInvoices', { count: total.overdueInvoices })}</span>
            {total.creditBalance.amountMinor !== 0 && (
              <span className="growth muted">{t('receivables.creditBalance', { amount: f.money(total.creditBalance) })}</span>
            )}
          </div>
        </Card>
      </Col>
    </>
  );
};

/** DSO in days over the period, and how it was reached (receivables ÷ net sales × days); none without net sales. */
const DsoFigure = ({ figures, currency }: { figures: DsoFigures | undefined; currency: string }) => {
  const { t, f } = useI18n();
  const days = figures?.dsoDays;
  return (
    <>
      <Statistic
        title={t('receivables.dso', { currency })}
        value={days === null || days === undefined ? '–' : t('dashboard.days', { days: f.number(days, 1) })}
      />
      <div className="kpi-growth">
        <span className="growth muted">
          {figures && days !== null
            ? t('receivables.dsoNote', { receivables: f.money(figures.receivables), netSales: f.money(figures.netSales), days: figures.days })
            : t('receivables.dsoNone')}
        </span>
      </div>
    </>
  );
};
