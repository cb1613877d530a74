import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Segmented, Spin, Tooltip } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useI18n } from '../../i18n';
import { downloadCsv } from './csv';
import { type ChartOption, EChart } from './EChart';
import type { FigureColumn, FiguresTable as FiguresTableOf } from './FiguresTable';

export type { FigureColumn };

// The figures as a table load when first asked for: a dashboard opens on its charts, and Ant Design's table is large.
const FiguresTable = lazy(async () => ({ default: (await import('./FiguresTable')).FiguresTable })) as unknown as typeof FiguresTableOf;

/**
 * A chart with its figures: switch to the table, or download them as CSV. Every chart of the console goes through here,
 * so no figure is only a picture.
 */
export const ChartCard = <R,>({
  title,
  option,
  rows,
  columns,
  rowKey,
  csvName,
  height,
  extra,
  loading,
  testId,
}: {
  title: string;
  option: ChartOption;
  rows: readonly R[];
  columns: readonly FigureColumn<R>[];
  rowKey: (row: R) => string;
  csvName: string;
  height?: number;
  extra?: ReactNode;
  loading?: boolean;
  testId?: string;
}) => {
  const { t } = useI18n();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <Card
      size="small"
      title={title}
      loading={loading}
      className="chart-card"
      data-testid={testId}
      extra={
        <div className="chart-card-tools">
          {extra}
          <Segmented
            size="small"
            value={view}
            onChange={(v) => setView(v as 'chart' | 'table')}
            options={[
              { value: 'chart', label: t('common.chart') },
              { value: 'table', label: t('common.table') },
            ]}
          />
          <Tooltip title={t('dashboard.downloadCsv', { name: title })}>
            <Button
              size="small"
              icon={<DownloadOutlined />}
              aria-label={t('dashboard.downloadCsv', { name: title })}
              onClick={() =>
                downloadCsv(
                  csvName,
                  columns.map((c) => c.title),
                  rows.map((r) => columns.map((c) => c.csv(r))),
                )
              }
            >
              {t('common.downloadCsv')}
            </Button>
          </Tooltip>
        </div>
      }
    >
      {view === 'chart' ? (
        <EChart option={option} height={height ?? 280} label={title} />
      ) : (
        <Suspense fallback={<Spin />}>
          <FiguresTable<R> rows={rows} columns={columns} rowKey={rowKey} height={height ?? 280} />
        </Suspense>
      )}
    </Card>
  );
};
