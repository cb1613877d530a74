import { Table } from 'antd';
import type { FigureColumn } from './ChartCard';

/** A chart's figures as a table, in the chart's place and height. */
export const FiguresTable = <R,>({
  rows,
  columns,
  rowKey,
  height,
}: {
  rows: readonly R[];
  columns: readonly FigureColumn<R>[];
  rowKey: (row: R) => string;
  height: number;
}) => (
  <Table
    size="small"
    pagination={false}
    scroll={{ x: true, y: height - 40 }}
    rowKey={(r) => rowKey(r as R)}
    dataSource={rows as R[]}
    columns={columns.map((c) => ({ key: c.key, title: c.title, align: c.align, render: (_: unknown, r: R) => c.render(r) }))}
  />
);
