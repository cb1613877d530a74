import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { Card, Col, Input, Row, Skeleton, Statistic, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { useUrlFilters } from '../../shared/useUrlFilters';
import { BacklogCard, RatesTrendCard, ReceivablesCard, SalesBreakdownCard, SalesTrendCard, StockAlertsCard, StockForecastCard } from './cards';
import { isMonth } from './period';
import { useDefaultMonth, useKpis } from './queries';

const loadMonthPicker = () => import('./MonthPicker');
const MonthPicker = lazy(async () => ({ default: (await loadMonthPicker()).MonthPicker }));

/**
 * The month, shown as text until the person goes to change it: Ant Design's picker (its calendar, dayjs and their styles,
 * 29 KB compressed) then loads and opens. Few visits change the month; every visit would otherwise load and style it.
 */
const MonthField = ({ month, onChange }: { month: string | undefined; onChange: (month: string | undefined) => void }) => {
  const { t, f } = useI18n();
  const [picking, setPicking] = useState(false);
  const shown = (
    <Input
      readOnly
      className="month-placeholder"
      aria-label={t('dashboard.month')}
      value={month ? f.month(month) : ''}
      onMouseEnter={() => void loadMonthPicker()}
      onFocus={() => setPicking(true)}
      onClick={() => setPicking(true)}
    />
  );
  if (!picking) return shown;
  return (
    <Suspense fallback={shown}>
      <MonthPicker month={month} label={t('dashboard.month')} onChange={onChange} open />
    </Suspense>
  );
};

/** Growth in basis points of `now` over `before`, or null without a base. Integer arithmetic on minor units. */
export const growthBps = (now: number, before: number | undefined): number | null =>
  before === undefined || before === 0 ? null : Math.round(((now - before) * 10_000) / Math.abs(before));

const Growth = ({ bps, label }: { bps: number | null; label: string }) => {
  const { f } = useI18n();
  if (bps === null) return <span className="growth muted">{label} –</span>;
  const up = bps >= 0;
  return (
    <span className={`growth ${up ? 'up' : 'down'}`}>
      {label} {up ? <ArrowUpOutlined aria-hidden /> : <ArrowDownOutlined aria-hidden />} {f.bps(Math.abs(bps))}
    </span>
  );
};

/** A headline figure with its change against the previous period and the same period last year (or what they were). */
const Kpi = ({
  title,
  value,
  previous,
  lastYear,
  note,
  testId,
}: {
  title: string;
  value: string;
  previous?: number | null | string;
  lastYear?: number | null | string;
  note?: string;
  testId: string;
}) => {
  const { t } = useI18n();
  // A number is a growth in basis points; a string is the figure itself then (a rate is compared by its value).
  const compare = (label: string, x: number | null | string | undefined) =>
    typeof x === 'string' ? (
      <span className="growth muted">
        {label} {x}
      </span>
    ) : (
      <Growth bps={x ?? null} label={label} />
    );
  return (
    <Card size="small" className="kpi" data-testid={testId}>
      <Statistic title={title} value={value} />
      <div className="kpi-growth">
        {previous !== undefined && compare(t('dashboard.vsPrevious'), previous)}
        {lastYear !== undefined && compare(t('dashboard.vsLastYear'), lastYear)}
        {note && <span className="growth muted">{note}</span>}
      </div>
    </Card>
  );
};

/**
 * The console's home: the chosen month (to date) against the month before and the same month last year (GET /kpis):
 * sales, backlog, fill rate, on-time delivery, review automation, overdue receivables and DSO; then where sales came from,
 * the rates over the year, receivables by age, and stock.
 */
export const DashboardPage = () => {
  const { t, f } = useI18n();
  const session = useSession().data;
  const filters = useUrlFilters(['month'] as const);
  const chosen = isMonth(filters.values.month) ? filters.values.month : undefined;
  const fallback = useDefaultMonth(chosen === undefined);
  const month = chosen ?? fallback.data;
  const kpis = useKpis(month);
  if (kpis.error) return <ProblemResult error={kpis.error} />;
  const k = kpis.data;
  const sales = k?.sales[0];
  const backlog = k?.backlog[0]?.current;
  const receivables = k?.receivables[0]?.current;
  const dso = k?.dso[0];
  const rate = (x: { current: number | null; previous: number | null; lastYear: number | null }) => ({
    value: f.bps(x.current),
    previous: f.bps(x.previous),
    lastYear: f.bps(x.lastYear),
  });
  const days = (d: number | null | undefined) => (d === null || d === undefined ? '–' : t('dashboard.days', { days: f.number(d, 1) }));
  return (
    <section className="page dashboard" data-testid="dashboard">
      <div className="page-title-row">
        <Typography.Title level={1} className="page-title">
          {t('console.nav.dashboard')}
        </Typography.Title>
        <MonthField month={month} onChange={(m) => filters.set({ month: m })} />
      </div>
      {!month ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <>
          {/* The headline figures and every chart ask for their data at once: no chart waits for the figures above it. */}
          {!k ? (
            <Skeleton active paragraph={{ rows: 4 }} />
          ) : (
            <Row gutter={[12, 12]}>
              <Col xs={12} lg={6}>
                <Kpi
                  testId="kpi-net"
                  title={t('dashboard.netSales', { month: f.month(month) })}
                  value={sales ? f.money(sales.current.net) : '–'}
                  previous={sales?.growthBps ?? null}
                  lastYear={sales?.lastYearGrowthBps ?? null}
                  note={k.complete ? undefined : t('dashboard.toDate', { date: f.date(k.asOf) })}
                />
              </Col>
              <Col xs={12} lg={6}>
                <Kpi
                  testId="kpi-orders"
                  title={t('dashboard.orders')}
                  value={f.number(sales?.current.orders ?? 0)}
                  previous={sales ? growthBps(sales.current.orders, sales.previous.orders) : null}
                  lastYear={sales ? growthBps(sales.current.orders, sales.lastYear.orders) : null}
                />
              </Col>
              <Col xs={12} lg={6}>
                <Kpi
                  testId="kpi-backlog"
                  title={t('dashboard.backlogNow')}
                  value={backlog ? f.money(backlog.value) : '–'}
                  note={t('dashboard.backlogOrders', { count: backlog?.orders ?? 0, days: f.number(backlog?.averageAgeDays ?? null, 1) })}
                />
              </Col>
              <Col xs={12} lg={6}>
                <Kpi
                  testId="kpi-overdue"
                  title={t('dashboard.overdue')}
                  value={receivables ? f.money(receivables.overdue) : '–'}
                  note={t('dashboard.overdueOf', {
                    count: receivables?.overdueInvoices ?? 0,
                    outstanding: receivables ? f.money(receivables.outstanding) : '–',
                  })}
                />
              </Col>
              <Col xs={12} lg={6}>
                <Kpi
                  testId="kpi-fill"
                  title={t('dashboard.fillRate')}
                  {...rate({
                    current: k.fillRate.current.orderFillBps,
                    previous: k.fillRate.previous.orderFillBps,
                    lastYear: k.fillRate.lastYear.orderFillBps,
                  })}
                />
              </Col>
              <Col xs={12} lg={6}>
                <Kpi
                  testId="kpi-on-time"
                  title={t('dashboard.onTime')}
                  {...rate({
                    current: k.onTimeDelivery.current.onTimeBps,
                    previous: k.onTimeDelivery.previous.onTimeBps,
                    lastYear: k.onTimeDelivery.lastYear.onTimeBps,
                  })}
                />
              </Col>
              <Col xs={12} lg={6}>
                <Kpi
                  testId="kpi-automation"
                  title={t('dashboard.automation')}
                  {...rate({
                    current: k.reviewAutomation.current.automationBps,
                    previous: k.reviewAutomation.previous.automationBps,
                    lastYear: k.reviewAutomation.lastYear.automationBps,
                  })}
                  note={t('dashboard.waiting', { count: k.reviewAutomation.current.waitingAtEnd })}
                />
              </Col>
              <Col xs={12} lg={6}>
                <Kpi
                  testId="kpi-dso"
                  title={t('dashboard.dso')}
                  value={days(dso?.current.dsoDays)}
                  previous={days(dso?.previous.dsoDays)}
                  lastYear={days(dso?.lastYear.dsoDays)}
                />
              </Col>
            </Row>
          )}
          <Row gutter={[12, 12]} className="dashboard-row">
            <Col xs={24} xl={16}>
              <SalesTrendCard month={month} />
            </Col>
            <Col xs={24} xl={8}>
              <SalesBreakdownCard month={month} dimension="region" kind="bar" />
            </Col>
            <Col xs={24} lg={12} xl={8}>
              <SalesBreakdownCard month={month} dimension="category" kind="pie" />
            </Col>
            <Col xs={24} lg={12} xl={8}>
              <SalesBreakdownCard month={month} dimension="partner" kind="bar" top={8} />
            </Col>
            <Col xs={24} lg={12} xl={8}>
              <SalesBreakdownCard month={month} dimension="product" kind="bar" top={8} />
            </Col>
            <Col xs={24} xl={12}>
              <RatesTrendCard month={month} />
            </Col>
            <Col xs={24} lg={12} xl={12}>
              <BacklogCard kpis={k} loading={kpis.isPending} />
            </Col>
            <Col xs={24}>
              <ReceivablesCard month={month} />
            </Col>
            {can(session, 'stock:read') && (
              <>
                <Col xs={24} xl={12}>
                  <StockAlertsCard />
                </Col>
                <Col xs={24} xl={12}>
                  <StockForecastCard />
                </Col>
              </>
            )}
          </Row>
        </>
      )}
    </section>
  );
};
