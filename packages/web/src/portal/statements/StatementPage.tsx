import { useQuery } from '@tanstack/react-query';
import { Skeleton } from 'antd';
import { useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { ProblemResult } from '../../shared/ErrorPage';
import { StatementDetails } from '../../shared/settlements/StatementDetails';
import { usePartnerId } from '../queries';

export const StatementPage = () => {
  const period = useParams().period ?? '';
  const partnerId = usePartnerId();
  const statement = useQuery({
    queryKey: ['statement', partnerId, period],
    queryFn: () => ok(api.GET('/settlements/{partnerId}/{period}', { params: { path: { partnerId, period } } })),
  });
  if (statement.error) return <ProblemResult error={statement.error} />;
  if (!statement.data) return <Skeleton active />;
  return (
    <section className="page">
      <StatementDetails statement={statement.data} />
    </section>
  );
};
