import { Typography } from 'antd';
import { useParams } from 'react-router';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ThreadList, ThreadView } from '../../shared/threads/Threads';
import { useUrlFilters } from '../../shared/useUrlFilters';

/** Every dealer's threads with the manufacturer, most recent first, with unread counts. */
export const ConsoleThreadsPage = () => {
  const { t } = useI18n();
  const filters = useUrlFilters(['status'] as const);
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('console.nav.threads')}
      </Typography.Title>
      <ThreadList base="/console/threads" status={filters.values.status} onStatus={(s) => filters.set({ status: s })} />
    </section>
  );
};

export const ConsoleThreadPage = () => {
  const session = useSession().data;
  return (
    <section className="page">
      <ThreadView threadId={useParams().threadId ?? ''} canWrite={can(session, 'threads:write')} />
    </section>
  );
};
