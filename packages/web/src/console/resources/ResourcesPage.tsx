import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Switch, Table, Tag, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, ok, type Schemas } from '../../api/client';
import { can, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { useFeedback } from '../../shared/feedback';
import { RESOURCE_KINDS, RESOURCE_STATUS_COLOR, RESOURCE_STATUSES, type Resource, ResourceContent, resourceKindLabel } from '../../shared/resources/resources';
import { useCursorList } from '../../shared/useCursorList';
import { setOnly, useUrlFilters } from '../../shared/useUrlFilters';
import { ListPage } from '../ListPage';
import { usePartners } from '../partners/usePartners';

type StoredFile = Schemas['StoredFile'];

/** A version's content as the forms take it: a file uploaded at once (its digest kept), or a link. */
interface ContentForm {
  contentType: 'file' | 'link';
  upload?: UploadFile<StoredFile>[];
  url?: string;
  note?: string;
}

/** Who a resource is for, as the forms take it: nothing chosen is every dealer. */
interface TargetingForm {
  tiers?: string[];
  regions?: string[];
  partnerIds?: string[];
}

interface CreateForm extends ContentForm, TargetingForm {
  kind: Resource['kind'];
  title: string;
  description?: string;
  requiresAcknowledgement: boolean;
  publish: boolean;
}

/** The body's content for POST /resources and /resources/{id}/versions. */
const contentOf = (v: ContentForm) => {
  const file = v.upload?.[0];
  const note = v.note?.trim() ? { note: v.note.trim() } : {};
  if (v.contentType === 'link') return { url: (v.url ?? '').trim(), ...note };
  return { file: { sha256: file!.response!.sha256, fileName: file!.name }, ...note };
};

/** The file's own bytes to POST /resource-files with its type; the API checks the bytes against it (docs/resources.md). */
const uploadFile = (file: File) =>
  ok(
    api.POST('/resource-files', {
      body: file as never,
      bodySerializer: (body: unknown) => body as never,
      headers: { 'content-type': file.type || 'application/octet-stream', ...idempotencyKey() },
    } as never),
  ) as Promise<StoredFile>;

/** Upload or link, with the version note: the same fields when creating a resource and adding a version. */
const ContentFields = () => {
  const { t } = useI18n();
  const form = Form.useFormInstance<ContentForm>();
  const kind = Form.useWatch('contentType', form);
  return (
    <>
      <Form.Item name="contentType" label={t('resources.content')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'file', label: t('resources.file') },
            { value: 'link', label: t('resources.link') },
          ]}
        />
      </Form.Item>
      {kind === 'link' ? (
        <Form.Item name="url" label={t('resources.url')} rules={[{ required: true, type: 'url' }, { max: 2000 }]}>
          <Input inputMode="url" />
        </Form.Item>
      ) : (
        <Form.Item
          name="upload"
          label={t('resources.file')}
          valuePropName="fileList"
          getValueFromEvent={(e: { fileList: UploadFile<StoredFile>[] }) => e.fileList}
          extra={t('resources.uploadHint')}
          rules={[
            {
              validator: (_, list: UploadFile<StoredFile>[] | undefined) =>
                list?.[0]?.status === 'done' ? Promise.resolve() : Promise.reject(new Error(t('resources.fileRequired'))),
            },
          ]}
        >
          <Upload<StoredFile>
            maxCount={1}
            customRequest={({ file, onSuccess, onError }) => {
              uploadFile(file as File).then(
                (stored) => onSuccess?.(stored),
                (error: Error) => onError?.(error),
              );
            }}
          >
            <Button icon={<UploadOutlined />}>{t('resources.upload')}</Button>
          </Upload>
        </Form.Item>
      )}
      <Form.Item name="note" label={t('resources.note')} rules={[{ max: 500 }]}>
        <Input maxLength={500} />
      </Form.Item>
    </>
  );
};

/** The body of POST /resources' targeting and of POST /resources/{id}/targeting. */
const targetingOf = (v: TargetingForm) => ({ tiers: v.tiers ?? [], regions: v.regions ?? [], partnerIds: v.partnerIds ?? [] });

/** Tiers, regions and dealers to choose from (those of the dealers there are): the same fields when creating and changing. */
const TargetingFields = ({ partners }: { partners: readonly Schemas['Partner'][] }) => {
  const { t } = useI18n();
  const tiers = [...new Set(partners.map((p) => p.tier))].sort();
  const regions = [...new Set(partners.map((p) => p.region))].sort();
  return (
    <>
      <Typography.Paragraph type="secondary">{t('resources.targetingHint')}</Typography.Paragraph>
      <Form.Item name="tiers" label={t('resources.tiers')}>
        <Select mode="multiple" allowClear options={tiers.map((v) => ({ value: v, label: v }))} />
      </Form.Item>
      <Form.Item name="regions" label={t('resources.regions')}>
        <Select mode="multiple" allowClear options={regions.map((v) => ({ value: v, label: v }))} />
      </Form.Item>
      <Form.Item name="partnerIds" label={t('resources.dealers')}>
        <Select mode="multiple" allowClear optionFilterProp="label" options={partners.map((p) => ({ value: p.partnerId, label: p.name }))} />
      </Form.Item>
    </>
  );
};

/** Who a resource is for, in words: every dealer, or the tiers, regions and dealers chosen. */
const targetingText = (t: ReturnType<typeof useI18n>['t'], r: Resource, names: Map<string, string>) => {
  const { tiers, regions, partnerIds } = r.targeting;
  if (tiers.length + regions.length + partnerIds.length === 0) return t('resources.everyDealer');
  return [
    tiers.length ? `${t('resources.tiers')}: ${tiers.join(', ')}` : '',
    regions.length ? `${t('resources.regions')}: ${regions.join(', ')}` : '',
    partnerIds.length ? `${t('resources.dealers')}: ${partnerIds.map((p) => names.get(p) ?? p).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
};

/** Who has and who has not confirmed a resource's current version. */
const AcknowledgementReport = ({ resource, onClose }: { resource: Resource; onClose: () => void }) => {
  const { t, f } = useI18n();
  const report = useQuery({
    queryKey: ['resources', 'acknowledgements', resource.resourceId, resource.currentVersion],
    queryFn: () => ok(api.GET('/resources/{resourceId}/acknowledgements', { params: { path: { resourceId: resource.resourceId } } })),
  });
  const data = report.data;
  return (
    <Modal open width={760} title={t('resources.reportNamed', { name: resource.title, version: resource.currentVersion })} onCancel={onClose} footer={null}>
      {report.error && <Alert type="error" showIcon title={report.error.message} className="form-alert" />}
      {data && (
        <Typography.Paragraph>
          {t('resources.reportCounts', { done: data.acknowledged.length, total: data.acknowledged.length + data.pending.length })}
        </Typography.Paragraph>
      )}
      <Typography.Title level={2} className="section-title">
        {t('resources.confirmedBy')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="partnerId"
        loading={report.isPending}
        dataSource={data?.acknowledged ?? []}
        pagination={false}
        scroll={{ x: 560 }}
        columns={[
          { title: t('orders.dealer'), dataIndex: 'name' },
          { title: t('resources.by'), dataIndex: 'acknowledgedBy' },
          { title: t('resources.at'), key: 'at', render: (_, a) => f.dateTime(a.acknowledgedAt) },
        ]}
      />
      <Typography.Title level={2} className="section-title">
        {t('resources.notYet')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="partnerId"
        loading={report.isPending}
        dataSource={data?.pending ?? []}
        pagination={false}
        scroll={{ x: 560 }}
        columns={[
          { title: t('orders.dealer'), dataIndex: 'name' },
          { title: t('partners.tier'), dataIndex: 'tier' },
          { title: t('orders.region'), dataIndex: 'region' },
        ]}
      />
    </Modal>
  );
};

/**
 * The resource library for the manufacturer (docs/resources.md): every resource in every status, with its targeting;
 * those with `resources:write` create one (a file uploaded, or a link), publish, withdraw and add versions; the
 * acknowledgement report shows who has and has not confirmed the current version.
 */
export const ResourcesPage = () => {
  const { t, f } = useI18n();
  const message = useFeedback();
  const session = useSession().data;
  const mayWrite = can(session, 'resources:write');
  const mayReport = can(session, 'resources:report');
  const url = useUrlFilters(['kind', 'status'] as const);
  const query = setOnly(url.values);
  const [minPosition, setMinPosition] = useState<string | undefined>();
  const list = useCursorList(['resources', 'console', query, minPosition], async () => ({
    items: (
      await ok(
        api.GET('/resources', {
          params: {
            query: {
              ...(query.kind ? { kind: query.kind as Resource['kind'] } : {}),
              ...(query.status ? { status: query.status as Resource['status'] } : {}),
              ...(minPosition ? { minPosition } : {}),
            },
          },
        }),
      )
    ).items,
    nextCursor: null,
  }));
  const partners = usePartners();
  const names = new Map((partners.data ?? []).map((p) => [p.partnerId, p.name]));
  const [creating, setCreating] = useState(false);
  const [versioning, setVersioning] = useState<Resource | null>(null);
  const [withdrawing, setWithdrawing] = useState<Resource | null>(null);
  const [reporting, setReporting] = useState<Resource | null>(null);
  const [retargeting, setRetargeting] = useState<Resource | null>(null);
  const [createForm] = Form.useForm<CreateForm>();
  const [versionForm] = Form.useForm<ContentForm>();
  const [targetingForm] = Form.useForm<TargetingForm>();

  const create = useMutation({
    mutationFn: (v: CreateForm) =>
      ok(
        api.POST('/resources', {
          headers: idempotencyKey(),
          body: {
            kind: v.kind,
            title: v.title.trim(),
            ...(v.description?.trim() ? { description: v.description.trim() } : {}),
            targeting: targetingOf(v),
            requiresAcknowledgement: v.requiresAcknowledgement,
            publish: v.publish,
            ...contentOf(v),
          },
        }),
      ),
    onSuccess: (accepted, v) => {
      setCreating(false);
      message.success(t('resources.created', { title: v.title.trim() }));
      setMinPosition(accepted.position);
    },
  });
  const addVersion = useMutation({
    mutationFn: ({ resource, v }: { resource: Resource; v: ContentForm }) =>
      ok(
        api.POST('/resources/{resourceId}/versions', {
          params: { path: { resourceId: resource.resourceId } },
          headers: idempotencyKey(),
          body: contentOf(v),
        }),
      ),
    onSuccess: (accepted, { resource }) => {
      setVersioning(null);
      message.success(t('resources.versionAdded', { name: resource.title, version: resource.currentVersion + 1 }));
      setMinPosition(accepted.position);
    },
  });
  const retarget = useMutation({
    mutationFn: ({ resource, v }: { resource: Resource; v: TargetingForm }) =>
      ok(
        api.POST('/resources/{resourceId}/targeting', {
          params: { path: { resourceId: resource.resourceId } },
          headers: idempotencyKey(),
          body: targetingOf(v),
        }),
      ),
    onSuccess: (accepted, { resource }) => {
      setRetargeting(null);
      message.success(t('libraryAdmin.targetingChanged', { name: resource.title }));
      setMinPosition(accepted.position);
    },
  });
  const act = useMutation({
    mutationFn: ({ resource, action, reason }: { resource: Resource; action: 'publish' | 'withdraw'; reason?: string }) => {
      const params = { path: { resourceId: resource.resourceId } };
      return action === 'publish'
        ? ok(api.POST('/resources/{resourceId}/publish', { params, headers: idempotencyKey(), body: {} }))
        : ok(api.POST('/resources/{resourceId}/withdraw', { params, headers: idempotencyKey(), body: reason?.trim() ? { reason: reason.trim() } : {} }));
    },
    onSuccess: (accepted, { resource, action }) => {
      setWithdrawing(null);
      message.success(t(action === 'publish' ? 'resources.published' : 'resources.withdrawn', { name: resource.title }));
      setMinPosition(accepted.position);
    },
  });

  const actionLabel = (action: string, r: Resource) => t('resources.actionFor', { action, name: r.title });
  return (
    <>
      <ListPage
        title={t('console.nav.resources')}
        url={url}
        filters={[
          { key: 'kind', label: t('resources.kind'), options: RESOURCE_KINDS.map((k) => ({ value: k, label: resourceKindLabel(t, k) })) },
          { key: 'status', label: t('common.status'), options: RESOURCE_STATUSES.map((s) => ({ value: s, label: t(`resources.status.${s}`) })) },
        ]}
        extra={
          <>
            {mayWrite && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => {
                  create.reset();
                  setCreating(true);
                }}
              >
                {t('resources.create')}
              </Button>
            )}
            {act.error && <Alert type="error" showIcon title={act.error.message} />}
          </>
        }
        list={list}
        rowKey="resourceId"
        scrollX={1200}
        columns={[
          {
            title: t('resources.title'),
            key: 'title',
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{r.title}</Typography.Text>
                {r.description && <Typography.Text type="secondary">{r.description}</Typography.Text>}
              </Space>
            ),
            sorter: (a, b) => a.title.localeCompare(b.title),
          },
          { title: t('resources.kind'), key: 'kind', render: (_, r) => resourceKindLabel(t, r.kind) },
          {
            title: t('common.status'),
            key: 'status',
            render: (_, r) => <Tag color={RESOURCE_STATUS_COLOR[r.status]}>{t(`resources.status.${r.status}`)}</Tag>,
          },
          { title: t('resources.versionShort'), dataIndex: 'currentVersion', align: 'right' },
          { title: t('resources.targeting'), key: 'targeting', render: (_, r) => targetingText(t, r, names) },
          { title: t('resources.requiresAck'), key: 'ack', render: (_, r) => (r.requiresAcknowledgement ? t('common.yes') : t('common.no')) },
          { title: t('common.date'), key: 'updated', render: (_, r) => f.dateTime(r.updatedAt) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) => (
              <Space wrap>
                <ResourceContent resource={r} />
                {mayWrite && r.status !== 'published' && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => act.mutate({ resource: r, action: 'publish' })}
                    loading={act.isPending && act.variables?.resource.resourceId === r.resourceId}
                    aria-label={actionLabel(t('resources.publish'), r)}
                  >
                    {t('resources.publish')}
                  </Button>
                )}
                {mayWrite && r.status !== 'withdrawn' && (
                  <Button
                    size="small"
                    onClick={() => {
                      addVersion.reset();
                      versionForm.resetFields();
                      setVersioning(r);
                    }}
                    aria-label={actionLabel(t('resources.newVersion'), r)}
                  >
                    {t('resources.newVersion')}
                  </Button>
                )}
                {mayWrite && (
                  <Button
                    size="small"
                    onClick={() => {
                      retarget.reset();
                      targetingForm.setFieldsValue({
                        tiers: [...r.targeting.tiers],
                        regions: [...r.targeting.regions],
                        partnerIds: [...r.targeting.partnerIds],
                      });
                      setRetargeting(r);
                    }}
                    aria-label={actionLabel(t('libraryAdmin.changeTargeting'), r)}
                  >
                    {t('libraryAdmin.changeTargeting')}
                  </Button>
                )}
                {mayWrite && r.status === 'published' && (
                  <Button size="small" danger onClick={() => setWithdrawing(r)} aria-label={actionLabel(t('resources.withdraw'), r)}>
                    {t('resources.withdraw')}
                  </Button>
                )}
                {mayReport && r.requiresAcknowledgement && (
                  <Button size="small" onClick={() => setReporting(r)} aria-label={actionLabel(t('resources.report'), r)}>
                    {t('resources.report')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={creating} title={t('resources.create')} onCancel={() => setCreating(false)} footer={null} destroyOnHidden width={640}>
        <Form<CreateForm>
          form={createForm}
          name="resource"
          layout="vertical"
          onFinish={(v) => create.mutate(v)}
          initialValues={{ kind: 'price_policy', contentType: 'file', requiresAcknowledgement: false, publish: false }}
        >
          <Form.Item name="kind" label={t('resources.kind')} rules={[{ required: true }]}>
            <Select options={RESOURCE_KINDS.map((k) => ({ value: k, label: resourceKindLabel(t, k) }))} />
          </Form.Item>
          <Form.Item name="title" label={t('resources.title')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="description" label={t('resources.description')} rules={[{ max: 2000 }]}>
            <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} />
          </Form.Item>
          <ContentFields />
          <TargetingFields partners={partners.data ?? []} />
          <Space size="large" wrap>
            <Form.Item name="requiresAcknowledgement" label={t('resources.requiresAck')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="publish" label={t('resources.publishNow')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          {create.error && <Alert type="error" showIcon title={create.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('common.save')}
          </Button>
        </Form>
      </Modal>
      <Modal
        open={versioning !== null}
        title={t('resources.newVersionNamed', { name: versioning?.title ?? '' })}
        onCancel={() => setVersioning(null)}
        footer={null}
        forceRender
      >
        <Form<ContentForm>
          form={versionForm}
          name="version"
          layout="vertical"
          initialValues={{ contentType: 'file' }}
          onFinish={(v) => versioning && addVersion.mutate({ resource: versioning, v })}
        >
          <ContentFields />
          {addVersion.error && <Alert type="error" showIcon title={addVersion.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={addVersion.isPending}>
            {t('resources.newVersion')}
          </Button>
        </Form>
      </Modal>
      <Modal
        open={withdrawing !== null}
        title={t('resources.withdrawNamed', { name: withdrawing?.title ?? '' })}
        onCancel={() => setWithdrawing(null)}
        footer={null}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          onFinish={(v: { reason?: string }) => withdrawing && act.mutate({ resource: withdrawing, action: 'withdraw', reason: v.reason })}
        >
          <Form.Item name="reason" label={t('common.reason')} rules={[{ max: 500 }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Button danger type="primary" htmlType="submit" loading={act.isPending}>
            {t('resources.withdraw')}
          </Button>
        </Form>
      </Modal>
      <Modal
        open={retargeting !== null}
        title={t('libraryAdmin.targetingNamed', { name: retargeting?.title ?? '' })}
        onCancel={() => setRetargeting(null)}
        footer={null}
        forceRender
      >
        <Form<TargetingForm>
          form={targetingForm}
          name="targeting"
          layout="vertical"
          onFinish={(v) => retargeting && retarget.mutate({ resource: retargeting, v })}
        >
          <TargetingFields partners={partners.data ?? []} />
          <Typography.Paragraph type="secondary">{t('libraryAdmin.targetingEffect')}</Typography.Paragraph>
          {retarget.error && <Alert type="error" showIcon title={retarget.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={retarget.isPending}>
            {t('common.save')}
          </Button>
        </Form>
      </Modal>
      {reporting && <AcknowledgementReport resource={reporting} onClose={() => setReporting(null)} />}
    </>
  );
};
