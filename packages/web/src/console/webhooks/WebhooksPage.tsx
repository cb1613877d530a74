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

// The screen's messages, both languages, come with its code: in en.ts every first screen (the portal's too) carried them.
i18n.addResourceBundle('en', 'translation', { webhooks: en }, true, true);
i18n.addResourceBundle('zh-CN', 'translation', { webhooks: zhCN }, true, true);

const STATUS_COLOR: Record<string, string> = { active: 'green', paused: 'orange', removed: 'default' };

/** Where DMS posts events for integrations, with delivery counts; pause and resume. */
export const WebhooksPage = () => {
  const { t, f } = useI18n();
  const session = useSession().data;
  const client = useQueryClient();
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: () => ok(api.GET('/webhooks')) });
  const act = useMutation({
    mutationFn: ({ webhookId, action, reason }: { webhookId: string; action: 'pause' | 'resume'; reason?: string }) =>
      action === 'pause'
        ? ok(api.POST('/webhooks/{webhookId}/pause', { params: { path: { webhookId } }, headers: idempotencyKey(), body: { reason: reason ?? '' } }))
        : ok(api.POST('/webhooks/{webhookId}/resume', { params: { path: { webhookId } }, headers: idempotencyKey(), body: {} })),
    onSuccess: (accepted) => {
      setPausing(null);
      return refreshAfter(client, ['webhooks'], (minPosition) => ok(api.GET('/webhooks', { params: { query: { minPosition } } })), accepted.position);
    },
  });
  const [pausing, setPausing] = useState<string | null>(null);
  if (hooks.error) return <ProblemResult error={hooks.error} />;
  const mayWrite = can(session, 'operations:write');
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('console.nav.webhooks')}
      </Typography.Title>
      {act.error && <Alert type="error" showIcon title={act.error.message} />}
      <Table<Schemas['Webhook']>
        size="small"
        rowKey="webhookId"
        loading={hooks.isPending}
        dataSource={hooks.data?.items ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        columns={[
          { title: 'URL', key: 'url', render: (_, w) => <span className="hash">{w.url}</span> },
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
                        <Button size="small" onClick={() => setPausing(w.webhookId)}>
                          {t('webhooks.pause')}
                        </Button>
                      )}
                      {w.status === 'paused' && (
                        <Button size="small" onClick={() => act.mutate({ webhookId: w.webhookId, action: 'resume' })}>
                          {t('webhooks.resume')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal open={pausing !== null} title={t('webhooks.pause')} onCancel={() => setPausing(null)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={(v: { reason: string }) => pausing && act.mutate({ webhookId: pausing, action: 'pause', reason: v.reason })}>
          <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true }, { max: 500 }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={act.isPending}>
            {t('webhooks.pause')}
          </Button>
        </Form>
      </Modal>
    </section>
  );
};
