import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, ok, type Schemas } from '../../api/client';
import { refreshAfter } from '../../api/refresh';
import { can, useSession } from '../../auth/session';
import { i18n, useI18n } from '../../i18n';
import { webhooks as en } from '../../i18n/sections/webhooks.en';
import { webhooks as zhCN } from '../../i18n/sections/webhooks.zh-CN';
import { ProblemResult } from '../../shared/ErrorPage';
import { useFeedback } from '../../shared/feedback';
import { RegisterWebhook } from './RegisterWebhook';

// The screen's messages, both languages, come with its code: in en.ts every first screen (the portal's too) carried them.
i18n.addResourceBundle('en', 'translation', { webhooks: en }, true, true);
i18n.addResourceBundle('zh-CN', 'translation', { webhooks: zhCN }, true, true);

const STATUS_COLOR: Record<string, string> = { active: 'green', paused: 'orange', removed: 'default' };

type Action = 'pause' | 'resume' | 'remove';

/**
 * Where DMS posts events for integrations, with delivery counts; for admins (`operations:write`, as the API), register a
 * signed webhook or a DingTalk or WeCom robot, pause, resume and remove one.
 */
export const WebhooksPage = () => {
  const { t, f } = useI18n();
  const message = useFeedback();
  const session = useSession().data;
  const client = useQueryClient();
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: () => ok(api.GET('/webhooks')) });
  const refresh = (position: string) =>
    refreshAfter(client, ['webhooks'], (minPosition) => ok(api.GET('/webhooks', { params: { query: { minPosition } } })), position);
  const act = useMutation({
    mutationFn: ({ webhookId, action, reason }: { webhookId: string; action: Action; reason?: string }) => {
      const params = { path: { webhookId } };
      if (action === 'resume') return ok(api.POST('/webhooks/{webhookId}/resume', { params, headers: idempotencyKey(), body: {} }));
      const body = { reason: reason ?? '' };
      return action === 'pause'
        ? ok(api.POST('/webhooks/{webhookId}/pause', { params, headers: idempotencyKey(), body }))
        : ok(api.POST('/webhooks/{webhookId}/remove', { params, headers: idempotencyKey(), body }));
    },
    onSuccess: (accepted, { webhookId, action }) => {
      setAsking(null);
      if (action === 'remove') message.success(t('webhooks.removed', { name: webhookId }));
      return refresh(accepted.position);
    },
  });
  const [asking, setAsking] = useState<{ webhookId: string; action: 'pause' | 'remove' } | null>(null);
  const [registering, setRegistering] = useState(false);
  if (hooks.error) return <ProblemResult error={hooks.error} />;
  const mayWrite = can(session, 'operations:write');
  const label = (action: string, w: Schemas['Webhook']) => t('webhooks.actionFor', { action, name: w.webhookId });
  return (
    <section className="page">
      <div className="page-title-row">
        <Typography.Title level={1} className="page-title">
          {t('console.nav.webhooks')}
        </Typography.Title>
        {mayWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
            {t('webhooks.register')}
          </Button>
        )}
      </div>
      {act.error && <Alert type="error" showIcon title={act.error.message} />}
      <Table<Schemas['Webhook']>
        size="small"
        rowKey="webhookId"
        loading={hooks.isPending}
        dataSource={hooks.data?.items ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        columns={[
          { title: t('webhooks.name'), dataIndex: 'webhookId' },
          {
            title: t('webhooks.kind'),
            key: 'kind',
            render: (_, w) => (
              <Space size={4} wrap>
                <Tag>{t(`webhooks.kinds.${w.kind}`)}</Tag>
                {w.robot && <Tag>{t(`webhooks.languages.${w.robot.language}`)}</Tag>}
                {w.robot?.format === 'card' && <Tag>{t('webhooks.formats.card')}</Tag>}
              </Space>
            ),
          },
          { title: t('webhooks.url'), key: 'url', render: (_, w) => <span className="hash">{w.url}</span> },
          { title: t('webhooks.events'), key: 'types', render: (_, w) => w.eventTypes.join(', ') },
          {
            title: t('webhooks.audience'),
            key: 'audience',
            render: (_, w) => (w.audience ? [...w.audience.regions, ...w.audience.partnerIds].join(', ') : t('webhooks.everyone')),
          },
          {
            title: t('common.status'),
            key: 'status',
            render: (_, w) => <Tag color={STATUS_COLOR[w.status]}>{t(`webhooks.status.${w.status}` as never, { defaultValue: w.status }) as string}</Tag>,
          },
          {
            title: t('webhooks.deliveries'),
            key: 'deliveries',
            render: (_, w) =>
              t('webhooks.counts', {
                delivered: f.number(w.deliveries.delivered),
                pending: f.number(w.deliveries.pending),
                failed: f.number(w.deliveries.failed),
              }),
          },
          ...(mayWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, w: Schemas['Webhook']) => (
                    <Space>
                      {w.status === 'active' && (
                        <Button size="small" onClick={() => setAsking({ webhookId: w.webhookId, action: 'pause' })} aria-label={label(t('webhooks.pause'), w)}>
                          {t('webhooks.pause')}
                        </Button>
                      )}
                      {w.status === 'paused' && (
                        <Button
                          size="small"
                          onClick={() => act.mutate({ webhookId: w.webhookId, action: 'resume' })}
                          aria-label={label(t('webhooks.resume'), w)}
                        >
                          {t('webhooks.resume')}
                        </Button>
                      )}
                      {w.status !== 'removed' && (
                        <Button
                          size="small"
                          danger
                          onClick={() => setAsking({ webhookId: w.webhookId, action: 'remove' })}
                          aria-label={label(t('webhooks.remove'), w)}
                        >
                          {t('webhooks.remove')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={asking !== null}
        title={asking?.action === 'remove' ? t('webhooks.removeNamed', { name: asking.webhookId }) : t('webhooks.pause')}
        onCancel={() => setAsking(null)}
        footer={null}
        destroyOnHidden
      >
        {asking?.action === 'remove' && <Typography.Paragraph>{t('webhooks.removeText')}</Typography.Paragraph>}
        <Form layout="vertical" onFinish={(v: { reason: string }) => asking && act.mutate({ ...asking, reason: v.reason })}>
          <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true }, { max: 500 }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Button type="primary" danger={asking?.action === 'remove'} htmlType="submit" loading={act.isPending}>
            {asking?.action === 'remove' ? t('webhooks.remove') : t('webhooks.pause')}
          </Button>
        </Form>
      </Modal>
      {mayWrite && (
        <RegisterWebhook
          open={registering}
          onClose={() => setRegistering(false)}
          onRegistered={(position, name) => {
            setRegistering(false);
            message.success(t('webhooks.registered', { name }));
            return refresh(position);
          }}
        />
      )}
    </section>
  );
};
