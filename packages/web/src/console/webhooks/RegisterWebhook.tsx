import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useState } from 'react';
import { ApiProblem, api, idempotencyKey, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { usePartners } from '../partners/usePartners';

type Kind = Schemas['Webhook']['kind'];

interface RegisterForm {
  kind: Kind;
  webhookId?: string;
  url: string;
  secret?: string;
  eventTypes: string[];
  language: 'zh-CN' | 'en';
  format: 'markdown' | 'card';
  consoleUrl?: string;
  description?: string;
  regions?: string[];
  partnerIds?: string[];
}

/** The events people act on, offered first; any other type (or *) can be typed (docs/integrations.md, docs/events.md). */
const SUGGESTED_EVENTS = [
  'OrderQueuedForReview',
  'OrderApproved',
  'OrderRejected',
  'OrderShipped',
  'OrderInvoiced',
  'StockBackordered',
  'SettlementStatementClosed',
  'SettlementStatementApproved',
  'NotificationRaised',
  'MessagePosted',
];

/**
 * Where an API refusal's field (`body.url`, `body.audience.partnerIds.1`, `body.eventTypes.0`) is in the form; undefined
 * for one the form has no field for (then the sentence above the button says it).
 */
const formFieldOf = (field: string): keyof RegisterForm | undefined => {
  const [where, first, second] = field.split('.');
  if (where !== 'body') return undefined;
  if (first === 'audience') return second === 'regions' ? 'regions' : 'partnerIds';
  const known: (keyof RegisterForm)[] = ['kind', 'webhookId', 'url', 'secret', 'eventTypes', 'language', 'format', 'consoleUrl', 'description'];
  return known.find((k) => k === first);
};

/** The body of POST /webhooks: a robot's settings only for a robot, the audience only when one is chosen. */
const bodyOf = (v: RegisterForm) => {
  const regions = v.regions ?? [];
  const partnerIds = v.partnerIds ?? [];
  const robot = v.kind !== 'signed';
  return {
    kind: v.kind,
    url: v.url.trim(),
    eventTypes: v.eventTypes,
    ...(v.webhookId?.trim() ? { webhookId: v.webhookId.trim() } : {}),
    ...(v.description?.trim() ? { description: v.description.trim() } : {}),
    ...(robot ? { language: v.language, consoleUrl: (v.consoleUrl ?? '').trim(), ...(v.format === 'card' ? { format: v.format } : {}) } : {}),
    ...(v.kind === 'dingtalk' && v.secret ? { secret: v.secret } : {}),
    ...(regions.length + partnerIds.length > 0 ? { audience: { ...(regions.length ? { regions } : {}), ...(partnerIds.length ? { partnerIds } : {}) } } : {}),
  };
};

/**
 * Registers a signed webhook or a DingTalk or WeCom group robot (POST /webhooks, docs/integrations.md): kind, address (a
 * WeCom robot's key is in it), a DingTalk robot's signing secret, events, language, the console's address and whom it is
 * for. What the API refuses is shown under the field it names. A signed webhook's secret is shown once.
 */
export const RegisterWebhook = ({
  open,
  onClose,
  onRegistered,
}: {
  open: boolean;
  onClose: () => void;
  onRegistered: (position: string, name: string) => void;
}) => {
  const { t } = useI18n();
  const [form] = Form.useForm<RegisterForm>();
  const kind = Form.useWatch('kind', form) ?? 'signed';
  const partners = usePartners();
  const regions = [...new Set((partners.data ?? []).map((p) => p.region))].sort();
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const register = useMutation({
    mutationFn: (v: RegisterForm) => ok(api.POST('/webhooks', { headers: idempotencyKey(), body: bodyOf(v) })),
    onSuccess: (answer) => {
      onRegistered(answer.position, answer.webhookId);
      if ('secret' in answer) setSecret({ name: answer.webhookId, secret: answer.secret });
      form.resetFields();
    },
    onError: (error) => {
      if (!(error instanceof ApiProblem)) return;
      const byField = new Map<keyof RegisterForm, string[]>();
      for (const e of error.errors) {
        const name = formFieldOf(e.field);
        if (name) byField.set(name, [...(byField.get(name) ?? []), e.message]);
      }
      form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    },
  });
  // The sentence above the button only when no field shows what is wrong.
  const unplaced = register.error && !(register.error instanceof ApiProblem && register.error.errors.some((e) => formFieldOf(e.field)));
  return (
    <>
      <Modal open={open} title={t('webhooks.registerTitle')} onCancel={onClose} footer={null} width={640} forceRender>
        <Form<RegisterForm>
          form={form}
          name="webhook"
          layout="vertical"
          initialValues={{ kind: 'signed', language: 'zh-CN', format: 'markdown', consoleUrl: globalThis.location?.origin, eventTypes: [] }}
          onFinish={(v) => register.mutate(v)}
          onValuesChange={() => register.reset()}
        >
          <Form.Item name="kind" label={t('webhooks.kind')}>
            <Radio.Group optionType="button" options={(['signed', 'dingtalk', 'wecom'] as const).map((k) => ({ value: k, label: t(`webhooks.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="webhookId" label={t('webhooks.name')} extra={t('webhooks.nameHint')} rules={[{ max: 64 }]}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="url" label={t('webhooks.url')} extra={t(`webhooks.urlHint.${kind}`)} rules={[{ required: true, whitespace: true }, { max: 2000 }]}>
            <Input inputMode="url" />
          </Form.Item>
          {kind === 'dingtalk' && (
            <Form.Item name="secret" label={t('webhooks.secret')} extra={t('webhooks.secretHint')} rules={[{ max: 200 }]}>
              <Input.Password autoComplete="off" />
            </Form.Item>
          )}
          <Form.Item
            name="eventTypes"
            label={t('webhooks.eventTypes')}
            extra={t('webhooks.eventTypesHint')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Select mode="tags" tokenSeparators={[',', ' ']} options={SUGGESTED_EVENTS.map((e) => ({ value: e, label: e }))} />
          </Form.Item>
          {kind !== 'signed' && (
            <>
              <Form.Item name="language" label={t('webhooks.language')}>
                <Radio.Group optionType="button" options={(['zh-CN', 'en'] as const).map((l) => ({ value: l, label: t(`webhooks.languages.${l}`) }))} />
              </Form.Item>
              <Form.Item name="format" label={t('webhooks.format')} extra={t('webhooks.formatHint')}>
                <Radio.Group optionType="button" options={(['markdown', 'card'] as const).map((v) => ({ value: v, label: t(`webhooks.formats.${v}`) }))} />
              </Form.Item>
              <Form.Item name="consoleUrl" label={t('webhooks.consoleUrl')} extra={t('webhooks.consoleUrlHint')} rules={[{ max: 2000 }]}>
                <Input inputMode="url" />
              </Form.Item>
            </>
          )}
          <Typography.Paragraph type="secondary">{t('webhooks.audienceHint')}</Typography.Paragraph>
          <Form.Item name="regions" label={t('webhooks.regions')}>
            <Select mode="multiple" allowClear options={regions.map((r) => ({ value: r, label: r }))} />
          </Form.Item>
          <Form.Item name="partnerIds" label={t('webhooks.dealers')}>
            <Select mode="multiple" allowClear optionFilterProp="label" options={(partners.data ?? []).map((p) => ({ value: p.partnerId, label: p.name }))} />
          </Form.Item>
          <Form.Item name="description" label={t('webhooks.description')} rules={[{ max: 500 }]}>
            <Input maxLength={500} />
          </Form.Item>
          {unplaced && <Alert type="error" showIcon role="alert" title={register.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={register.isPending}>
            {t('webhooks.register')}
          </Button>
        </Form>
      </Modal>
      <Modal open={secret !== null} title={t('webhooks.secretOnce', { name: secret?.name ?? '' })} onCancel={() => setSecret(null)} footer={null}>
        <Typography.Paragraph>{t('webhooks.secretOnceText')}</Typography.Paragraph>
        <Typography.Paragraph copyable code className="hash">
          {secret?.secret}
        </Typography.Paragraph>
      </Modal>
    </>
  );
};
