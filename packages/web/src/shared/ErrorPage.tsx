import { Button, Result } from 'antd';
import { Link, useRouteError } from 'react-router';
import { ApiProblem } from '../api/client';
import { useI18n } from '../i18n';

export const NotFound = ({ detail }: { detail?: string }) => {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={t('common.notFound')}
      subTitle={detail ?? t('common.notFoundLead')}
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
  if (error instanceof ApiProblem && error.status === 403) return <Result status="403" title={t('common.forbidden')} subTitle={error.detail} />;
  return <Result status="warning" title={t('common.loadFailed')} subTitle={error instanceof Error ? error.message : String(error)} />;
};

export const ErrorPage = () => <ProblemResult error={useRouteError()} />;
