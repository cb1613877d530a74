import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { Card, Col, DatePicker, Row, Skeleton, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Schemas } from '../../api/client';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { useUrlFilters } from '../../shared/useUrlFilters';
import { BacklogCard, SalesBreakdownCard, SalesTrendCard, StockAlertsCard, StockForecastCard } from './cards';
import { addMonths, isMonth } from './period';
import { useDefaultMonth, useSales } from './queries';

type Totals = Schemas['SalesReport']['totals'][number];

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

/** A headline figure with its change against the previous period and the same period last year. */
const Kpi = ({
  title,
  value,
  previous,
  lastYear,
  testId,
}: {
  title: string;
  value: string;
  previous: number | null;
  lastYear: number | null;
  testId: string;
}) => {
  const { t } = useI18n();
  return (
    <Card size="small" className="kpi" data-testid={testId}>
      <Statistic title={title} value={value} />
      <div className="kpi-growth">
        <Growth bps={previous} label={t('dashboard.vsPrevious')} />
        <Growth bps={lastYear} label={t('dashboard.vsLastYear')} />
      </div>
    </Card>
  );
};

/** The console's home: the chosen month's sales against the month before and a year before, where they came from, and stock. */
export const DashboardPage = () => {
  const { t, f } = useI18n();
  const session = useSession().data;
  const filters = useUrlFilters(['month'] as const);
  const fallback = useDefaultMonth();
  const month = isMonth(filters.values.month) ? filters.values.month : fallback.data;
  const ready = month !== undefined;
  const current = useSales('region', month ?? '', month ?? '', ready);
  const lastYear = useSales('region', addMonths(month ?? '2000-01', -12), addMonths(month ?? '2000-01', -12), ready);
  if (current.error) return <ProblemResult error={current.error} />;
  const total: Totals | undefined = current.data?.totals[0];
  const ly = lastYear.data?.totals.find((x) => x.currency === total?.currency);
  const money = (m: { amountMinor: number; currency: string } | undefined) => (m ? f.money(m) : '–');
  return (
    <section className="page dashboard" data-testid="dashboard">
      <div className="page-title-row">
        <Typography.Title level={1} className="page-title">
          {t('console.nav.dashboard')}
        </Typography.Title>
        <DatePicker
          picker="month"
          allowClear={false}
          aria-label={t('dashboard.month')}
          value={month ? dayjs(`${month}-01`) : null}
          onChange={(d) => filters.set({ month: d?.format('YYYY-MM') })}
          disabledDate={(d) => d.isAfter(dayjs(), 'month')}
        />
      </div>
      {!ready || current.isPending ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={12} lg={6}>
              <Kpi
                testId="kpi-net"
                title={t('dashboard.netSales', { month: f.month(month) })}
                value={money(total?.net)}
                previous={total ? growthBps(total.net.amountMinor, total.previous?.net.amountMinor) : null}
                lastYear={total ? growthBps(total.net.amountMinor, ly?.net.amountMinor) : null}
              />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi
                testId="kpi-orders"
                title={t('dashboard.orders')}
                value={f.number(total?.orders ?? 0)}
                previous={total ? growthBps(total.orders, total.previous?.orders) : null}
                lastYear={total ? growthBps(total.orders, ly?.orders) : null}
              />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi
                testId="kpi-invoiced"
                title={t('dashboard.invoiced')}
                value={money(total?.invoiced)}
                previous={total ? growthBps(total.invoiced.amountMinor, total.previous?.invoiced.amountMinor) : null}
                lastYear={total ? growthBps(total.invoiced.amountMinor, ly?.invoiced.amountMinor) : null}
              />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi
                testId="kpi-avg"
                title={t('dashboard.averageOrder')}
                value={total && total.orders > 0 ? f.money({ amountMinor: Math.round(total.net.amountMinor / total.orders), currency: total.currency }) : '–'}
                previous={null}
                lastYear={null}
              />
            </Col>
          </Row>
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
            <Col xs={24} lg={12} xl={12}>
              <BacklogCard />
            </Col>
            {can(session, 'stock:read') && (
              <>
                <Col xs={24} xl={12}>
                  <StockAlertsCard />
                </Col>
                <Col xs={24}>
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
