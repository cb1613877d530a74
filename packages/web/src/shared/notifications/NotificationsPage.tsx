import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Empty, List, Segmented, Skeleton, Space, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../ErrorPage';

type Notification = Schemas['Notification'];

/**
 * The person's inbox, newest first: all or only unread, each with its title in the language shown, when it was raised,
 * a link to what it is about (opening it marks it read), and "mark read". Read state is the person's own.
 */
export const NotificationInbox = ({ unreadOnly, onUnreadOnly }: { unreadOnly: boolean; onUnreadOnly: (only: boolean) => void }) => {
  const { t, f, language } = useI18n();
  const client = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: ['notifications', 'list', unreadOnly],
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/notifications', { params: { query: { limit: 30, ...(unreadOnly ? { unread: 'true' } : {}), ...(pageParam ? { cursor: pageParam } : {}) } } }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const markRead = useMutation({
    mutationFn: async (ids: readonly string[]) => {
      let position: string | undefined;
      for (const notificationId of ids)
        position = (await ok(api.POST('/notifications/{notificationId}/read', { params: { path: { notificationId } }, body: {} }))).position;
      // Read our own write before refreshing the inbox and the bell.
      if (position) await ok(api.GET('/notifications', { params: { query: { minPosition: position, limit: 1 } } }));
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['notifications'] }),
  });
  if (list.error) return <ProblemResult error={list.error} />;
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unread ?? 0;
  const unreadShown = items.filter((n) => !n.read).map((n) => n.notificationId);
  const titleOf = (n: Notification) => n.title[language] || n.title.en;
  return (
    <>
      <Space wrap className="notification-tools">
        <Segmented
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(v) => onUnreadOnly(v === 'unread')}
          options={[
            { value: 'all', label: t('common.all') },
            { value: 'unread', label: t('notifications.unreadFilter', { count: unread }) },
          ]}
        />
        <Button disabled={unreadShown.length === 0} loading={markRead.isPending} onClick={() => markRead.mutate(unreadShown)}>
          {t('notifications.markAllRead')}
        </Button>
      </Space>
      {markRead.error && <ProblemResult error={markRead.error} />}
      {list.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={unreadOnly ? t('notifications.noneUnread') : t('notifications.none')} />
      ) : (
        <List
          className="notification-list"
          dataSource={items}
          renderItem={(n) => (
            <List.Item
              className={n.read ? 'notification read' : 'notification unread'}
              actions={
                n.read
                  ? []
                  : [
                      <Button
                        key="read"
                        size="small"
                        onClick={() => markRead.mutate([n.notificationId])}
                        aria-label={t('notifications.markReadNamed', { title: titleOf(n) })}
                      >
                        {t('notifications.markRead')}
                      </Button>,
                    ]
              }
            >
              <div className="notification-body">
                <div className="notification-row">
                  {!n.read && <Tag color="blue">{t('notifications.new')}</Tag>}
                  {/^\/(portal|console)(\/|$)/.test(n.link) ? (
                    <Link to={n.link} onClick={() => !n.read && markRead.mutate([n.notificationId])}>
                      <Typography.Text strong={!n.read}>{titleOf(n)}</Typography.Text>
                    </Link>
                  ) : (
                    <Typography.Text strong={!n.read}>{titleOf(n)}</Typography.Text>
                  )}
                </div>
                <Typography.Text type="secondary" className="notification-meta">
                  {t(`notifications.topics.${n.topic}`)}
                  {n.region ? ` · ${n.region}` : ''}
                  {n.label ? ` · ${n.label}` : ''} · {f.dateTime(n.raisedAt)}
                  {n.read && n.readAt ? ` · ${t('notifications.readAt', { at: f.dateTime(n.readAt) })}` : ''}
                </Typography.Text>
              </div>
            </List.Item>
          )}
        />
      )}
      {list.hasNextPage && (
        <Button block onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.more')}
        </Button>
      )}
    </>
  );
};

/** The inbox as a page of the console or the portal, the filter in the address (`?unread=true`). */
export const NotificationsPage = () => {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('notifications.title')}
      </Typography.Title>
      <NotificationInbox unreadOnly={params.get('unread') === 'true'} onUnreadOnly={(only) => setParams(only ? { unread: 'true' } : {}, { replace: true })} />
    </section>
  );
};
