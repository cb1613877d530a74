import { Card, Descriptions, type DescriptionsProps, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { ScrollRegion } from './ScrollRegion';

export interface Fact {
  readonly key: string;
  readonly label: string;
  readonly value: ReactNode;
}

/**
 * The head of one record (an order, a statement): its title, whose it is, its status as a tag, and its facts as
 * label-value pairs that fold into one column on a phone.
 */
export const RecordHead = ({
  title,
  subtitle,
  status,
  facts,
  columns,
}: {
  title: string;
  subtitle: string;
  status: { label: string; color: string | undefined };
  facts: readonly Fact[];
  columns: DescriptionsProps['column'];
}) => (
  <Card size="small">
    <div className="order-head">
      <div>
        <Typography.Title level={1} className="page-title">
          {title}
        </Typography.Title>
        <Typography.Text type="secondary">{subtitle}</Typography.Text>
      </div>
      <Tag color={status.color} className="status-tag-large">
        {status.label}
      </Tag>
    </div>
    <Descriptions
      size="small"
      column={columns}
      className="order-facts"
      items={facts.map((fact) => ({ key: fact.key, label: fact.label, children: fact.value }))}
    />
  </Card>
);

/** A record's lines as a dense table in a card, scrolling sideways inside a focusable region on a narrow screen. */
export const LinesCard = <R extends object>({
  title,
  minWidth,
  rows,
  rowKey,
  columns,
}: {
  title: string;
  minWidth: number;
  rows: readonly R[];
  rowKey: keyof R & string;
  columns: TableColumnsType<R>;
}) => (
  <Card size="small" title={title}>
    <ScrollRegion label={title} minWidth={minWidth}>
      <Table<R> size="small" rowKey={rowKey} pagination={false} dataSource={rows as R[]} columns={columns} />
    </ScrollRegion>
  </Card>
);
