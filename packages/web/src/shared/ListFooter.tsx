import { Button, Typography } from 'antd';
import { useI18n } from '../i18n';

/** "Load more" while the API has another page, else how many rows are shown. */
export const ListFooter = ({
  list,
}: {
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown; rows: readonly unknown[] };
}) => {
  const { t } = useI18n();
  return list.hasNextPage ? (
    <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
      {t('common.more')}
    </Button>
  ) : (
    <Typography.Text type="secondary">{t('common.rowsShown', { count: list.rows.length })}</Typography.Text>
  );
};
