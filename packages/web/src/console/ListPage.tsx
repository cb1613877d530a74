import { Button, Card, Select, Space, Table, type TableColumnsType, type TableProps, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { ProblemResult } from '../shared/ErrorPage';
import { ListFooter } from '../shared/ListFooter';
import type { CursorList } from '../shared/useCursorList';
import type { UrlFilters } from '../shared/useUrlFilters';

/** A filter picked from a list of values, kept in the URL under `key`. */
export interface SelectFilter<K extends string> {
  readonly key: K;
  readonly label: string;
  readonly options: readonly { value: string; label: string }[];
  /** Type to search (a long list: dealers). */
  readonly searchable?: boolean;
}

/** The filters of a console screen, kept in the URL: pickers, any other control in `extra`, and "clear filters". */
export const FilterBar = <K extends string>({ url, filters, extra }: { url: UrlFilters<K>; filters: readonly SelectFilter<K>[]; extra?: ReactNode }) => {
  const { t } = useI18n();
  return (
    <Card size="small" className="filters">
      <Space wrap>
        {filters.map((filter) => (
          <Select
            key={filter.key}
            allowClear
            showSearch={filter.searchable}
            optionFilterProp="label"
            placeholder={filter.label}
            aria-label={filter.label}
            value={url.values[filter.key] || undefined}
            onChange={(v: string | undefined) => url.set({ [filter.key]: v } as Partial<Record<K, string>>)}
            options={filter.options as { value: string; label: string }[]}
            className={filter.searchable ? 'filter-select-wide' : 'filter-select'}
          />
        ))}
        {extra}
        {url.active && <Button onClick={url.clear}>{t('common.clearFilters')}</Button>}
      </Space>
    </Card>
  );
};

/**
 * The console's list screen: a title, filters that live in the URL (pickers, plus any other control in `extra`), and a
 * dense table of a cursor-paged list with "load more". Orders, settlements and dealers are all this shape.
 */
export const ListPage = <R extends object, K extends string>({
  title,
  url,
  filters,
  extra,
  list,
  rowKey,
  columns,
  scrollX,
  sticky,
  onTableChange,
  above,
}: {
  title: string;
  url: UrlFilters<K>;
  filters: readonly SelectFilter<K>[];
  extra?: ReactNode;
  list: CursorList<R>;
  rowKey: keyof R & string;
  columns: TableColumnsType<R>;
  scrollX: number;
  sticky?: boolean;
  /** Sorting kept in the URL: the table's sorter changes, for columns whose `sortOrder` the screen sets from the URL. */
  onTableChange?: TableProps<R>['onChange'];
  /** Shown between the filters and the table (a chart of the rows). */
  above?: ReactNode;
}) => {
  if (list.error) return <ProblemResult error={list.error} />;
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {title}
      </Typography.Title>
      <FilterBar url={url} filters={filters} extra={extra} />
      {above}
      <Table<R>
        size="small"
        rowKey={rowKey}
        loading={list.isPending}
        dataSource={list.rows}
        pagination={false}
        scroll={{ x: scrollX }}
        sticky={sticky}
        columns={columns}
        onChange={onTableChange}
        footer={() => <ListFooter list={list} />}
      />
    </section>
  );
};
