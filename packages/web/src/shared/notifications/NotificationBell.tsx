import { BellOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n';

/** How often the bell asks for the unread count while the app is open (the inbox itself refreshes when opened). */
const UNREAD_EVERY_MS = 60_000;

/** The number of notifications the person has not read (the API counts them; one item is the smallest page). */
const useUnreadCount = () =>
  useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: async () => (await ok(api.GET('/notifications', { params: { query: { unread: 'true', limit: 1 } } }))).unread,
    refetchInterval: UNREAD_EVERY_MS,
    staleTime: 30_000,
  });

/** A bell in the header with the unread count, opening the inbox at `to`. */
export const NotificationBell = ({ to, inverted = false }: { to: string; inverted?: boolean }) => {
  const { t } = useI18n();
  const unread = useUnreadCount().data ?? 0;
  return (
    <Link to={to} className={`account-button notification-bell${inverted ? ' inverted' : ''}`} aria-label={t('notifications.bell', { count: unread })}>
      <BellOutlined aria-hidden className="notification-bell-icon" />
      {/* A plain count rather than antd's Badge: the console's first screen has no other use for Badge's code. */}
      {unread > 0 && (
        <span className="notification-count" aria-hidden>
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </Link>
  );
};
