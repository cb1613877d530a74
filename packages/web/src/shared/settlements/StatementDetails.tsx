import type { Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { statementStatusLabel } from '../labels';
import { type Fact, LinesCard, RecordHead } from '../RecordHead';

export type Statement = Schemas['SettlementStatement'];
type Line = Statement['lines'][number];

export const STATEMENT_STATUS_COLOR: Record<string, string> = { open: 'blue', closed: 'gold', approved: 'cyan', paid: 'green' };

/**
 * A settlement statement: its totals, when it was closed and approved (to the minute) and paid, every line, and how it reconciles to the invoices. `people` adds who
 * closed and who approved it (the console shows it; a dealer's portal does not).
 */
export const StatementDetails = ({ statement, people = [] }: { statement: Statement; people?: readonly Fact[] }) => {
  const { t, f } = useI18n();
  return (
    <div className="order-details">
      <RecordHead
        title={t('statements.title', { period: statement.period })}
        subtitle={statement.partnerName ?? statement.partnerId}
        status={{ label: statementStatusLabel(t, statement.status), color: STATEMENT_STATUS_COLOR[statement.status] }}
        columns={{ xs: 1, sm: 2, lg: 3 }}
        facts={[
          { key: 'volume', label: t('statements.volume'), value: f.money(statement.volume) },
          { key: 'revenueShare', label: t('statements.revenueShare'), value: f.money(statement.revenueShare) },
          { key: 'rebates', label: t('statements.rebates'), value: f.money(statement.rebates) },
          { key: 'jointMarketing', label: t('statements.jointMarketing'), value: f.money(statement.jointMarketing) },
          { key: 'penalties', label: t('statements.penalties'), value: f.money(statement.penalties) },
          { key: 'total', label: t('statements.total'), value: <strong>{f.money(statement.total)}</strong> },
          // To the minute: with who closed and who approved (the console's `people`), when each did.
          { key: 'closedAt', label: t('statements.closedAt'), value: f.dateTime(statement.closedAt) },
          { key: 'approvedAt', label: t('statements.approvedAt'), value: f.dateTime(statement.approvedAt) },
          {
            key: 'paidAt',
            label: t('statements.paidAt'),
            value: `${f.date(statement.paidAt)}${statement.paymentReference ? ` · ${statement.paymentReference}` : ''}`,
          },
          ...people,
        ]}
      />
      <LinesCard<Line>
        title={t('statements.lines')}
        minWidth={640}
        rows={statement.lines}
        rowKey="lineId"
        columns={[
          { title: t('common.date'), key: 'date', render: (_, l) => f.date(l.date), width: 110 },
          { title: t('statements.kind'), key: 'kind', render: (_, l) => t(`statements.kinds.${l.kind}` as never, { defaultValue: l.kind }) as string },
          { title: t('statements.description'), dataIndex: 'description' },
          { title: t('common.amount'), key: 'amount', align: 'right', render: (_, l) => f.money(l.amount) },
        ]}
      />
    </div>
  );
};
