import { Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useI18n } from '../../i18n';
import { NewThread, ThreadList } from '../../shared/threads/Threads';
import { usePartnerId } from '../queries';

const LINK_KINDS = ['order', 'agreement', 'settlement', 'stock'] as const;

/** The dealer's threads with the manufacturer; `?new=order&id=...` opens a new one about that order. */
export const ThreadsPage = () => {
  const { t } = useI18n();
  const partnerId = usePartnerId();
  const [params, setParams] = useSearchParams();
  const kind = params.get('new');
  const id = params.get('id');
  const link = kind && id && (LINK_KINDS as readonly string[]).includes(kind) ? { kind: kind as (typeof LINK_KINDS)[number], id } : undefined;
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('portal.nav.messages')}
      </Typography.Title>
      {(link || params.has('new')) && <NewThread partnerId={partnerId} base="/portal/messages" {...(link ? { link } : {})} />}
      <ThreadList base="/portal/messages" status={params.get('status') ?? ''} onStatus={(s) => setParams(s ? { status: s } : {}, { replace: true })} />
    </section>
  );
};
