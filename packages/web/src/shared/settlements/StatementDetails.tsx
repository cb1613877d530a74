import { Card, Descriptions, Table, Tag, Typography } from 'antd';
import type { Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { statementStatusLabel } from '../labels';
import { ScrollRegion } from '../ScrollRegion';

export type Statement = Schemas['SettlementStatement'];
type Line = Statement['lines'][number];

export const STATEMENT_STATUS_COLOR: Record<string, string> = { open: 'blue', closed: 'gold', approved: 'cyan', paid: 'green' };

/** A settlement statement: its totals, status dates, every line, and how it reconciles to the invoices. */
export const StatementDetails = ({ statement }: { statement: Statement }) => {
  const { t, f } = useI18n();
  return (
    <div className="order-details">
      <Card size="small">
        <div className="order-head">
          <div>
            <Typography.Title level={1} className="page-title">
              {t('statements.title', { period: statement.period })}
            </Typography.Title>
            <Typography.Text type="secondary">{statement.partnerName ?? statement.partnerId}</Typography.Text>
          </div>
          <Tag color={STATEMENT_STATUS_COLOR[statement.status]} className="status-tag-large">
            {statementStatusLabel(t, statement.status)}
          </Tag>
        </div>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('statements.volume')}>{f.money(statement.volume)}</Descriptions.Item>
          <Descriptions.Item label={t('statements.revenueShare')}>{f.money(statement.revenueShare)}</Descriptions.Item>
          <Descriptions.Item label={t('statements.rebates')}>{f.money(statement.rebates)}</Descriptions.Item>
          <Descriptions.Item label={t('statements.jointMarketing')}>{f.money(statement.jointMarketing)}</Descriptions.Item>
          <Descriptions.Item label={t('statements.penalties')}>{f.money(statement.penalties)}</Descriptions.Item>
          <Descriptions.Item label={t('statements.total')}>
            <strong>{f.money(statement.total)}</strong>
          </Descriptions.Item>
          <Descriptions.Item label={t('statements.closedAt')}>{f.date(statement.closedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('statements.approvedAt')}>{f.date(statement.approvedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('statements.paidAt')}>
            {f.date(statement.paidAt)}
            {statement.paymentReference ? ` · ${statement.paymentReference}` : ''}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('statements.lines')}>
        <ScrollRegion label={t('statements.lines')} minWidth={640}>
          <Table<Line>
            size="small"
            rowKey="lineId"
            pagination={false}
            dataSource={statement.lines}
            columns={[
              { title: t('common.date'), key: 'date', render: (_, l) => f.date(l.date), width: 110 },
              { title: t('statements.kind'), key: 'kind', render: (_, l) => t(`statements.kinds.${l.kind}` as never, { defaultValue: l.kind }) as string },
              { title: t('statements.description'), dataIndex: 'description' },
              { title: t('common.amount'), key: 'amount', align: 'right', render: (_, l) => f.money(l.amount) },
            ]}
          />
        </ScrollRegion>
      </Card>
    </div>
  );
};
