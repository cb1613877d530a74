import { SafetyCertificateOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Timeline, Typography } from 'antd';
import type { Schemas } from '../api/client';
import { useI18n } from '../i18n';
import { useActorName } from './useActorName';

/** A stream's verified history: every event, who (by name, as far as the role may know it) and when, and whether its hash chain checks out. */
export const History = ({ history }: { history: Schemas['History'] }) => {
  const { t, f } = useI18n();
  const actorName = useActorName(history.entries.map((e) => e.actor.id));
  return (
    <div>
      {history.verified ? (
        <Alert type="success" showIcon icon={<SafetyCertificateOutlined />} title={t('audit.chainVerified', { count: history.entries.length })} />
      ) : (
        <Alert type="error" showIcon icon={<WarningOutlined />} title={t('audit.chainBroken')} description={JSON.stringify(history.problems)} />
      )}
      <Timeline
        className="history"
        items={history.entries.map((e) => ({
          key: e.streamVersion,
          children: (
            <div>
              <Typography.Text strong>{e.type}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                #{e.streamVersion} · {f.dateTime(e.recordedAt)} · {actorName(e.actor.id)} ({t(`roles.${e.actor.role as 'admin'}`)})
              </Typography.Text>
              <pre className="event-data">{JSON.stringify(e.data, null, 1)}</pre>
              <Typography.Text type="secondary" className="hash">
                {t('audit.hash')} {e.hash.slice(0, 16)}…
              </Typography.Text>
            </div>
          ),
        }))}
      />
    </div>
  );
};
