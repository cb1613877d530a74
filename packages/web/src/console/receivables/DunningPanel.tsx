import { useQuery } from '@tanstack/react-query';
import { Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { csvMoney } from '../../shared/receivables/ageing';
import { DEFAULT_LEVELS, LEVEL_COLOR, levelLabel as shownLevel } from '../../shared/receivables/dunning';
import { type InvoiceColumn, InvoiceTable, invoiceColumns } from './InvoiceTable';
import { after, type PanelProps } from './panel';

type DunnedInvoice = Schemas['Dunning']['invoices'][number];

/** A level as the console names it (the receivables section of the catalogue). */
const levelLabel = (t: TFunction, level: number, name: string | null | undefined) =>
  shownLevel(
    level,
    name,
    (key) => t(`receivables.levelNames.${key}`),
    (n) => t('receivables.levelNamed', { level: n }),
  );
const nameOf = (i: DunnedInvoice, level: number) => (level === i.level ? i.levelName : i.agreementId === null ? DEFAULT_LEVELS[level - 1] : undefined);

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
      render: (i) => <Tag color={LEVEL_COLOR[Math.min(i.level, 3)]}>{levelLabel(t, i.level, i.levelName)}</Tag>,
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
              <li key={s.level}>{t('receivables.sentOn', { level: levelLabel(t, s.level, nameOf(i, s.level)), date: f.dateTime(s.sentAt) })}</li>
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
    {
      key: 'next',
      title: t('receivables.next'),
      render: (i) =>
        i.nextLevel
          ? t('receivables.nextOn', { level: levelLabel(t, i.nextLevel.level, nameOf(i, i.nextLevel.level)), date: f.date(i.nextLevel.on) })
          : t('receivables.lastLevel'),
      csv: (i) => (i.nextLevel ? `${i.nextLevel.level} ${i.nextLevel.on}` : null),
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
