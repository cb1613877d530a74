import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Skeleton, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { Link } from 'react-router';
import { api, type Money, ok, type Schemas } from '../../api/client';
import { i18n, useI18n } from '../../i18n';
import { owed as en } from '../../i18n/sections/owed.en';
import { owed as zhCN } from '../../i18n/sections/owed.zh-CN';
import { todayUtc } from '../../shared/dates';
import { ProblemResult } from '../../shared/ErrorPage';
import { DEFAULT_LEVELS, LEVEL_COLOR, levelLabel as shownLevel } from '../../shared/receivables/dunning';
import { totalPerCurrency } from '../../shared/receivables/totals';
import { usePartner, usePartnerId } from '../queries';

// The screen's messages, both languages, come with its code (as the console's receivables screen's do): the portal's
// first screen has no bytes to spare for them.
i18n.addResourceBundle('en', 'translation', { owed: en }, true, true);
i18n.addResourceBundle('zh-CN', 'translation', { owed: zhCN }, true, true);

type OpenInvoice = Schemas['OpenInvoices']['invoices'][number];
type Dunned = Schemas['Dunning']['invoices'][number];
type Entry = Schemas['DealerAccount']['entries'][number];

const BUCKET_COLOR: Record<string, string> = { current: 'green', d1_30: 'gold', d31_60: 'orange', d61_90: 'volcano', over90: 'red' };
const keyOf = (i: { orderId: string; invoiceId: string }) => `${i.orderId}.${i.invoiceId}`;

const levelLabel = (t: TFunction, level: number, name: string | null | undefined) =>
  shownLevel(
    level,
    name,
    (key) => t(`owed.levelNames.${key}`),
    (n) => t('owed.levelNamed', { level: n }),
  );

/** Amounts per currency on one line ("1,200.00 € · ¥300.00"), or zero in the dealer's currency when there are none. */
const amounts = (f: ReturnType<typeof useI18n>['f'], list: readonly Money[], currency: string) => {
  const totals = totalPerCurrency(list).filter((m) => m.amountMinor !== 0);
  return totals.length > 0 ? totals.map((m) => f.money(m)).join(' · ') : f.money({ amountMinor: 0, currency });
};

/**
 * What the signed-in dealer owes (docs/receivables.md), phone first: in all and overdue, its unapplied credit, what falls
 * due next; each open invoice with its due dates, days overdue and the reminder (dunning) level reached; and the payments,
 * credit applications and refunds of its account. The API scopes every read to the dealer: another dealer's figures never
 * reach this screen (GET /receivables/open and /receivables/dunning filter by the session's partner, and GET
 * /partners/{id}/credit answers 404 for another partner).
 */
export const OwedPage = () => {
  const { t, f } = useI18n();
  const partnerId = usePartnerId();
  const partner = usePartner();
  const open = useQuery({ queryKey: ['owed', 'open'], queryFn: () => ok(api.GET('/receivables/open', { params: { query: {} } })) });
  const dunning = useQuery({ queryKey: ['owed', 'dunning'], queryFn: () => ok(api.GET('/receivables/dunning', { params: { query: {} } })) });
  const account = useQuery({
    queryKey: ['owed', 'credit', partnerId],
    queryFn: () => ok(api.GET('/partners/{partnerId}/credit', { params: { path: { partnerId } } })),
    enabled: partnerId !== '',
  });
  const error = open.error ?? dunning.error ?? account.error;
  if (error) return <ProblemResult error={error} />;
  const invoices = open.data?.invoices ?? [];
  const currency = invoices[0]?.owed.currency ?? partner.data?.creditLimit.currency ?? 'EUR';
  const levels = new Map((dunning.data?.invoices ?? []).map((d) => [keyOf(d), d]));
  const overdue = invoices.filter((i) => i.overdue.amountMinor > 0);
  // What falls due next: the earliest due date not yet past, with what is owed on it across the invoices.
  const upcoming = invoices.flatMap((i) => (i.nextDue ? [i.nextDue] : [])).sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  const nextOn = upcoming[0]?.dueOn;
  const next = nextOn ? totalPerCurrency(upcoming.filter((d) => d.dueOn === nextOn).map((d) => d.owed)) : [];
  const credit = account.data?.credit ?? { amountMinor: 0, currency };
  return (
    <section className="page owed-page">
      <Typography.Title level={1} className="page-title">
        {t('owed.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('owed.asOf', { date: f.date(open.data?.asOf ?? todayUtc()) })}</Typography.Paragraph>
      {open.isPending || dunning.isPending ? (
        <Skeleton active />
      ) : (
        <>
          <div className="owed-summary">
            <Card size="small" data-testid="owed-total">
              <div className="owed-figure-label">{t('owed.owedInAll')}</div>
              <div className="owed-figure">
                {amounts(
                  f,
                  invoices.map((i) => i.owed),
                  currency,
                )}
              </div>
            </Card>
            <Card size="small" data-testid="owed-overdue" className={overdue.length > 0 ? 'owed-alert' : undefined}>
              <div className="owed-figure-label">{t('owed.overdue')}</div>
              <div className="owed-figure">
                {amounts(
                  f,
                  overdue.map((i) => i.overdue),
                  currency,
                )}
              </div>
              <div className="muted">{overdue.length > 0 ? t('owed.overdueCount', { count: overdue.length }) : t('owed.noneOverdue')}</div>
            </Card>
            <Card size="small" data-testid="owed-credit">
              <div className="owed-figure-label">{t('owed.credit')}</div>
              <div className="owed-figure">{account.isPending ? '…' : f.money(credit)}</div>
              <div className="muted">{t('owed.creditNote')}</div>
            </Card>
            <Card size="small" data-testid="owed-next">
              <div className="owed-figure-label">{t('owed.nextDue')}</div>
              <div className="owed-figure">{nextOn ? f.date(nextOn) : '–'}</div>
              <div className="muted">{nextOn ? next.map((m) => f.money(m)).join(' · ') : t('owed.nothingDue')}</div>
            </Card>
          </div>
          <Typography.Title level={2} className="section-title">
            {t('owed.invoices')}
          </Typography.Title>
          {invoices.length === 0 ? (
            <Empty description={t('owed.noInvoices')} />
          ) : (
            <div className="order-list" data-testid="owed-invoices">
              {invoices.map((i) => (
                <InvoiceCard key={keyOf(i)} invoice={i} dunned={levels.get(keyOf(i))} />
              ))}
            </div>
          )}
          <Typography.Title level={2} className="section-title">
            {t('owed.history')}
          </Typography.Title>
          {account.isPending ? (
            <Skeleton active />
          ) : (account.data?.entries.length ?? 0) === 0 ? (
            <Empty description={t('owed.noHistory')} />
          ) : (
            <div className="order-list" data-testid="owed-history">
              {[...(account.data?.entries ?? [])].reverse().map((e) => (
                <HistoryCard key={`${e.kind}.${e.id}.${e.allocations[0]?.orderId ?? ''}`} entry={e} />
              ))}
            </div>
          )}
        </>
      )}
    </section>
  );
};

/** One open invoice: what is owed of what was invoiced, its due date and age, its instalments, its reminder level. */
const InvoiceCard = ({ invoice: i, dunned }: { invoice: OpenInvoice; dunned: Dunned | undefined }) => {
  const { t, f } = useI18n();
  return (
    <Card size="small" className="order-card owed-invoice">
      <div className="order-card-head">
        <Typography.Text strong>{t('owed.invoice', { invoice: i.invoiceId })}</Typography.Text>
        {i.daysPastDue > 0 ? (
          <Tag color={BUCKET_COLOR[i.bucket]}>{t('owed.daysOverdue', { count: i.daysPastDue })}</Tag>
        ) : (
          <Tag color="green">{t('owed.notYetDue')}</Tag>
        )}
      </div>
      <div className="order-card-body">
        <span>
          {t('owed.dueOn', { date: f.date(i.oldestDueOn) })} · <span className="muted">{t('owed.ofInvoiced', { amount: f.money(i.invoiced) })}</span>
        </span>
        <strong>{f.money(i.owed)}</strong>
      </div>
      <div className="owed-invoice-facts">
        <Link to={`/portal/orders/${encodeURIComponent(i.orderId)}`}>{t('owed.order', { order: i.orderId })}</Link>
        {i.dueDates.length > 1 && (
          <ul className="plain-list" aria-label={t('owed.instalments')}>
            {i.dueDates.map((d) => (
              <li key={d.dueOn} className={d.owed.amountMinor === 0 ? 'muted' : undefined}>
                {t('owed.instalment', { date: f.date(d.dueOn), owed: f.money(d.owed), amount: f.money(d.amount) })}
              </li>
            ))}
          </ul>
        )}
        {i.nextDue && i.daysPastDue > 0 && <span>{t('owed.nextInstalment', { amount: f.money(i.nextDue.owed), date: f.date(i.nextDue.dueOn) })}</span>}
        {dunned && dunned.level > 0 && (
          <span>
            {t('owed.level')}: <Tag color={LEVEL_COLOR[Math.min(dunned.level, 3)]}>{levelLabel(t, dunned.level, dunned.levelName)}</Tag>
          </span>
        )}
        {dunned?.nextLevel && (
          <span className="muted">
            {t('owed.nextLevel', {
              level: levelLabel(t, dunned.nextLevel.level, dunned.agreementId === null ? DEFAULT_LEVELS[dunned.nextLevel.level - 1] : undefined),
              date: f.date(dunned.nextLevel.on),
            })}
          </span>
        )}
      </div>
    </Card>
  );
};

/**
 * A payment received, credit applied or refunded, or a share of a payment back in the credit because its order refused it
 * (`return`): how much, when, the invoices it paid (or did not), the credit left.
 */
const HistoryCard = ({ entry: e }: { entry: Entry }) => {
  const { t, f } = useI18n();
  return (
    <Card size="small" className="order-card">
      <div className="order-card-head">
        <Typography.Text strong>{t(`owed.kinds.${e.kind}`)}</Typography.Text>
        <span className="muted">{f.dateTime(e.at)}</span>
      </div>
      <div className="order-card-body">
        <span>
          {e.allocations.length > 0
            ? t(e.kind === 'return' ? 'owed.returnedInvoices' : 'owed.paidInvoices', { invoices: e.allocations.map((a) => a.invoiceId).join(', ') })
            : (e.reference ?? '')}
        </span>
        <strong>{f.money(e.amount)}</strong>
      </div>
      <div className="muted">{t('owed.creditAfter', { amount: f.money(e.creditAfter) })}</div>
    </Card>
  );
};
