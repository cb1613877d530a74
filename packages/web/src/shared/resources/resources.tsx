import { DownloadOutlined, LinkOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import type { TFunction } from 'i18next';
import type { Schemas } from '../../api/client';
import { useI18n } from '../../i18n';

export type Resource = Schemas['ResourceSummary'];
export const RESOURCE_KINDS = ['price_policy', 'product_sheet', 'training', 'marketing_kit', 'market_info'] as const;
export const RESOURCE_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export const RESOURCE_STATUS_COLOR: Record<Resource['status'], string> = { draft: 'default', published: 'green', withdrawn: 'red' };

export const resourceKindLabel = (t: TFunction, kind: string) => t(`resources.kinds.${kind}` as never, { defaultValue: kind }) as string;

/** A file's size for people: KB below a megabyte, MB above. */
const sizeOf = (bytes: number, number: (n: number, digits?: number) => string) =>
  bytes < 1024 * 1024 ? `${number(Math.max(1, Math.round(bytes / 1024)))} KB` : `${number(bytes / (1024 * 1024), 1)} MB`;

/**
 * A resource's current version: a file downloads from the API (always an attachment, docs/resources.md), a link opens in a
 * new tab. A plain link, so the session cookie goes with it and the browser does the download.
 */
export const ResourceContent = ({ resource, version }: { resource: Resource; version?: number }) => {
  const { t, f } = useI18n();
  const content = resource.content;
  if (!content) return null;
  if (content.type === 'link')
    return (
      <Button
        icon={<LinkOutlined />}
        href={content.url}
        target="_blank"
        rel="noopener noreferrer"
        aria-label={t('resources.actionFor', { action: t('resources.open'), name: resource.title })}
      >
        {t('resources.open')}
      </Button>
    );
  const query = version === undefined ? '' : `?version=${version}`;
  // The visible words start the accessible name (axe: label-content-name-mismatch), the file's name follows.
  const label = `${t('resources.download')} · ${sizeOf(content.sizeBytes, f.number)}`;
  return (
    <Button
      icon={<DownloadOutlined />}
      href={`/resources/${encodeURIComponent(resource.resourceId)}/content${query}`}
      download={content.fileName}
      aria-label={t('resources.actionFor', { action: label, name: content.fileName })}
    >
      {label}
    </Button>
  );
};
