import { ExclamationCircleOutlined, QuestionCircleOutlined, StopOutlined } from '@ant-design/icons';
import { Button, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useRouteError } from 'react-router';
import { ApiProblem } from '../api/client';
import { useI18n } from '../i18n';

/**
 * A screen's outcome when it has nothing to show: an icon, a title and the sentence why. (Ant Design's Result would do,
 * but carries large illustrations into the first chunk every screen loads.)
 */
const Outcome = ({ icon, title, detail, extra }: { icon: ReactNode; title: string; detail: string; extra?: ReactNode }) => (
  <div className="outcome" role="status">
    <div className="outcome-icon" aria-hidden>
      {icon}
    </div>
    <Typography.Title level={2} className="outcome-title">
      {title}
    </Typography.Title>
    <Typography.Paragraph type="secondary">{detail}</Typography.Paragraph>
    {extra}
  </div>
);

export const NotFound = ({ detail }: { detail?: string }) => {
  const { t } = useI18n();
  return (
    <Outcome
      icon={<QuestionCircleOutlined />}
      title={t('common.notFound')}
      detail={detail ?? t('common.notFoundLead')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.home')}</Button>
        </Link>
      }
    />
  );
};

/** What a screen shows when its data could not be had: not found (also for another dealer's resource), or the API's sentence. */
export const ProblemResult = ({ error }: { error: unknown }) => {
  const { t } = useI18n();
  if (error instanceof ApiProblem && error.status === 404) return <NotFound detail={error.detail} />;
  if (error instanceof ApiProblem && error.status === 403) return <Outcome icon={<StopOutlined />} title={t('common.forbidden')} detail={error.detail} />;
  return <Outcome icon={<ExclamationCircleOutlined />} title={t('common.loadFailed')} detail={error instanceof Error ? error.message : String(error)} />;
};

export const ErrorPage = () => <ProblemResult error={useRouteError()} />;
