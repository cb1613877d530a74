import { WarningOutlined } from '@ant-design/icons';
import { Card, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { ListFooter } from '../../shared/ListFooter';
import { agreementStatusLabel } from '../../shared/labels';
import { useCursorList } from '../../shared/useCursorList';
import { useUrlFilters } from '../../shared/useUrlFilters';

const STATUSES = ['draft', 'proposed', 'signed', 'active', 'expired', 'terminated'] as const;
const STATUS_COLOR: Record<string, string> = { draft: 'default', proposed: 'blue', signed: 'cyan', active: 'green', expired: 'default', terminated: 'red' };

/** The agreement registry by expiry, with warnings for those in force that end within 30, 60 or 90 days. */
export const AgreementsPage = () => {
  const { t, f } = useI18n();
  const filters = useUrlFilters(['status', 'expiring'] as const);
  const expiring = Number(filters.values.expiring) || undefined;
  const status = filters.values.status || undefined;
  const list = useCursorList(['agreements', status, expiring], (cursor) =>
    ok(
      api.GET('/agreements', {
        params: {
          query: {
            limit: 100,
            cursor,
            ...(status ? { status: status as (typeof STATUSES)[number] } : {}),
            ...(expiring ? { expiringWithinDays: expiring } : {}),
          },
        },
      }),
    ),
  );
  if (list.error) return <ProblemResult error={list.error} />;
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('console.nav.agreements')}
      </Typography.Title>
      <Card size="small" className="filters">
        <Space wrap>
          <Segmented
            value={filters.values.expiring}
            onChange={(v) => filters.set({ expiring: String(v) })}
            options={[
              { value: '', label: t('common.all') },
              ...['30', '60', '90'].map((d) => ({ value: d, label: t('agreements.expiringWithin', { days: d }) })),
            ]}
          />
          <Select
            allowClear
            placeholder={t('common.status')}
            aria-label={t('common.status')}
            value={status}
            onChange={(v) => filters.set({ status: v })}
            options={STATUSES.map((s) => ({ value: s, label: agreementStatusLabel(t, s) }))}
            className="filter-select"
          />
        </Space>
      </Card>
      <Table<Schemas['AgreementSummary']>
        size="small"
        rowKey="agreementId"
        loading={list.isPending}
        dataSource={list.rows}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('agreements.agreement'),
            key: 'title',
            render: (_, a) => (
              <span>
                {a.title}
                <div className="muted">{a.agreementId}</div>
              </span>
            ),
          },
          { title: t('orders.dealer'), key: 'partner', render: (_, a) => a.partnerName ?? a.partnerId },
          { title: t('common.status'), key: 'status', render: (_, a) => <Tag color={STATUS_COLOR[a.status]}>{agreementStatusLabel(t, a.status)}</Tag> },
          { title: t('agreements.regions'), key: 'regions', render: (_, a) => a.regions.join(', ') },
          { title: t('agreements.from'), key: 'from', render: (_, a) => f.date(a.effectiveFrom) },
          {
            title: t('agreements.expires'),
            key: 'expires',
            render: (_, a) => (
              <span>
                {f.date(a.expiresOn)}
                {a.status === 'active' && a.daysToExpiry !== null && a.daysToExpiry <= 90 && (
                  <Tag color={a.daysToExpiry <= 30 ? 'red' : 'orange'} icon={<WarningOutlined />} className="expiry-tag">
                    {t('agreements.daysLeft', { days: a.daysToExpiry })}
                  </Tag>
                )}
              </span>
            ),
            sorter: (a, b) => (a.expiresOn ?? '').localeCompare(b.expiresOn ?? ''),
          },
          { title: t('agreements.breaches'), dataIndex: 'breaches', align: 'right' },
        ]}
        footer={() => <ListFooter list={list} />}
      />
    </section>
  );
};
