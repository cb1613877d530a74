import { Table } from 'antd';
import type { ReactNode } from 'react';

export interface FigureColumn<R> {
  readonly key: string;
  readonly title: string;
  /** The value as shown in the table (formatted for the language). */
  readonly render: (row: R) => ReactNode;
  /** The value as written to CSV: plain, unformatted (a decimal amount, an ISO date). */
  readonly csv: (row: R) => string | number | null;
  readonly align?: 'left' | 'right';
}

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
