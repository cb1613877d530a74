import { CheckCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Empty, Input, Segmented, Skeleton, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { api, idempotencyKey, ok } from '../../api/client';
import { refreshAfter } from '../../api/refresh';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { useFeedback } from '../../shared/feedback';
import { type Resource, ResourceContent, resourceKindLabel } from '../../shared/resources/resources';

/** Required and not yet confirmed: what the dealer is asked to read. */
const toConfirm = (r: Resource) => r.requiresAcknowledgement && r.acknowledged === false;

const ResourceCard = ({ resource, onAcknowledge, acknowledging }: { resource: Resource; onAcknowledge: () => void; acknowledging: boolean }) => {
  const { t, f } = useI18n();
  const pending = toConfirm(resource);
  return (
    <li className={pending ? 'resource resource-pending' : 'resource'}>
      <Typography.Text strong className="resource-title">
        {resource.title}
      </Typography.Text>
      <Typography.Text type="secondary" className="resource-meta">
        {resourceKindLabel(t, resource.kind)} · {t('resources.version', { version: resource.currentVersion })} ·{' '}
        {t('resources.updated', { date: f.date(resource.updatedAt) })}
      </Typography.Text>
      {resource.description && <Typography.Paragraph className="resource-description">{resource.description}</Typography.Paragraph>}
      <div className="resource-actions">
        <ResourceContent resource={resource} />
        {pending && (
          <>
            <Tag color="orange" icon={<ExclamationCircleOutlined />}>
              {t('resources.ackRequired')}
            </Tag>
            <Button type="primary" onClick={onAcknowledge} loading={acknowledging} aria-label={t('resources.acknowledgeNamed', { name: resource.title })}>
              {t('resources.acknowledge')}
            </Button>
          </>
        )}
        {resource.requiresAcknowledgement && resource.acknowledged === true && (
          <Tag color="green" icon={<CheckCircleOutlined />}>
            {t('resources.acknowledged')}
          </Tag>
        )}
      </div>
    </li>
  );
};

/**
 * The resource library as the dealer sees it: the published documents and links that target it, by kind and searchable,
 * those it is asked to confirm first and highlighted, with "I have read this" for the current version.
 */
export const LibraryPage = () => {
  const { t } = useI18n();
  const message = useFeedback();
  const client = useQueryClient();
  const library = useQuery({ queryKey: ['resources', 'portal'], queryFn: () => ok(api.GET('/resources')) });
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const kind = params.get('kind') ?? '';
  const setParam = (key: string, value: string) =>
    setParams(
      (p) => {
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      },
      { replace: true },
    );
  const acknowledge = useMutation({
    mutationFn: (r: Resource) =>
      ok(api.POST('/resources/{resourceId}/acknowledge', { params: { path: { resourceId: r.resourceId } }, headers: idempotencyKey(), body: {} })),
    onSuccess: async (accepted, r) => {
      message.success(t('resources.acknowledgedNamed', { name: r.title }));
      await refreshAfter(
        client,
        ['resources', 'portal'],
        (minPosition) => ok(api.GET('/resources', { params: { query: { minPosition } } })),
        accepted.position,
      );
    },
  });
  const items = library.data?.items ?? [];
  const kinds = useMemo(() => [...new Set(items.map((r) => r.kind))].sort(), [items]);
  const shown = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return items
      .filter((r) => (!kind || r.kind === kind) && words.every((w) => `${r.title} ${r.description ?? ''}`.toLowerCase().includes(w)))
      .sort((a, b) => Number(toConfirm(b)) - Number(toConfirm(a)));
  }, [items, search, kind]);
  const pending = items.filter(toConfirm).length;
  if (library.error) return <ProblemResult error={library.error} />;
  return (
    <section className="page">
      <div className="page-title-row">
        <Typography.Title level={1} className="page-title">
          {t('portal.nav.library')}
        </Typography.Title>
        {pending > 0 && <Tag color="orange">{t('resources.toAcknowledge', { count: pending })}</Tag>}
      </div>
      <div className="catalogue-tools">
        <Input.Search
          allowClear
          placeholder={t('resources.searchPlaceholder')}
          aria-label={t('common.search')}
          defaultValue={search}
          onChange={(e) => setParam('q', e.target.value)}
          size="large"
        />
        <div className="category-scroll">
          <Segmented
            value={kind}
            onChange={(v) => setParam('kind', String(v))}
            options={[{ value: '', label: t('common.all') }, ...kinds.map((k) => ({ value: k, label: resourceKindLabel(t, k) }))]}
          />
        </div>
      </div>
      {acknowledge.error && <Alert type="error" showIcon title={acknowledge.error.message} className="form-alert" />}
      {library.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : shown.length === 0 ? (
        <Empty description={t('resources.noMatch')} />
      ) : (
        <ul className="resource-list" aria-label={t('portal.nav.library')}>
          {shown.map((r) => (
            <ResourceCard
              key={r.resourceId}
              resource={r}
              onAcknowledge={() => acknowledge.mutate(r)}
              acknowledging={acknowledge.isPending && acknowledge.variables?.resourceId === r.resourceId}
            />
          ))}
        </ul>
      )}
    </section>
  );
};
