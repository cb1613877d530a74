import { SafetyCertificateOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Input, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { History } from '../../shared/History';
import { useUrlFilters } from '../../shared/useUrlFilters';

/** For auditors: verify every hash chain and schema in the store (or under a prefix), and read any stream's verified history. */
export const AuditPage = () => {
  const { t, f } = useI18n();
  const filters = useUrlFilters(['prefix', 'stream'] as const);
  const [run, setRun] = useState(0);
  const verification = useQuery({
    queryKey: ['verification', filters.values.prefix, run],
    queryFn: () => ok(api.GET('/audit/verification', { params: { query: filters.values.prefix ? { streamPrefix: filters.values.prefix } : {} } })),
    enabled: run > 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const stream = filters.values.stream;
  const history = useQuery({
    queryKey: ['stream-history', stream],
    queryFn: () => ok(api.GET('/audit/streams/{streamId}', { params: { path: { streamId: stream } } })),
    enabled: stream !== '',
  });
  const v = verification.data;
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('console.nav.audit')}
      </Typography.Title>
      <Card size="small" title={t('audit.verifyStore')}>
        <Space wrap>
          <Input
            placeholder={t('audit.prefixPlaceholder')}
            aria-label={t('audit.prefix')}
            defaultValue={filters.values.prefix}
            onChange={(e) => filters.set({ prefix: e.target.value })}
            className="filter-select-wide"
          />
          <Button type="primary" icon={<SafetyCertificateOutlined />} onClick={() => setRun((r) => r + 1)} loading={verification.isFetching}>
            {t('audit.verify')}
          </Button>
        </Space>
        {verification.error && <ProblemResult error={verification.error} />}
        {v && (
          <div className="audit-result">
            {v.ok ? (
              <Alert type="success" showIcon icon={<SafetyCertificateOutlined />} title={t('audit.storeVerified')} />
            ) : (
              <Alert
                type="error"
                showIcon
                icon={<WarningOutlined />}
                title={t('audit.storeBroken', { count: v.problemCount })}
                description={JSON.stringify(v.problems.slice(0, 5))}
              />
            )}
            <Descriptions size="small" column={{ xs: 1, sm: 3 }}>
              <Descriptions.Item label={t('audit.streams')}>{f.number(v.streams)}</Descriptions.Item>
              <Descriptions.Item label={t('audit.events')}>{f.number(v.events)}</Descriptions.Item>
              <Descriptions.Item label={t('audit.problems')}>{f.number(v.problemCount)}</Descriptions.Item>
            </Descriptions>
          </div>
        )}
      </Card>
      <Card size="small" title={t('audit.streamHistory')}>
        <Input.Search
          placeholder={t('audit.streamPlaceholder')}
          aria-label={t('audit.stream')}
          defaultValue={stream}
          onSearch={(s) => filters.set({ stream: s.trim() })}
          enterButton={t('common.search')}
        />
        {history.isFetching && <Skeleton active />}
        {history.error && <ProblemResult error={history.error} />}
        {history.data && <History history={history.data} />}
      </Card>
    </section>
  );
};
