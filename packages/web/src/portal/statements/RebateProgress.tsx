import { useQuery } from '@tanstack/react-query';
import { Card, Progress, Typography } from 'antd';
import { api, ok, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';

type Rebate = Schemas['RebateProgress'];

/** How far the dealer is this period, and what it takes to reach the next rebate band. */
const RebateCard = ({ rebate }: { rebate: Rebate }) => {
  const { t, f } = useI18n();
  const next = rebate.next;
  // Share of the way to the next band, in whole percent (integer arithmetic on minor units).
  const percent = next && next.from.amountMinor > 0 ? Math.min(100, Math.floor((rebate.volume.amountMinor * 100) / next.from.amountMinor)) : 100;
  return (
    <Card size="small" className="rebate-card">
      <Typography.Text type="secondary">{t('portal.statements.rebatePeriod', { period: rebate.period })}</Typography.Text>
      <div className="rebate-figures">
        <div>
          <div className="muted">{t('portal.statements.volumeSoFar')}</div>
          <strong className="figure">{f.money(rebate.volume)}</strong>
        </div>
        <div>
          <div className="muted">{t('portal.statements.rebateEarned')}</div>
          <strong className="figure">{f.money(rebate.amount)}</strong>
          <div className="muted">{t('portal.statements.atRate', { rate: f.bps(rebate.rateBps) })}</div>
        </div>
      </div>
      <Progress percent={percent} showInfo={false} strokeColor="#1d5fbf" aria-label={t('portal.statements.toNextBand')} />
      <Typography.Paragraph className="rebate-next">
        {next ? t('portal.statements.spendMore', { amount: f.money(next.remaining), rate: f.bps(next.rateBps) }) : t('portal.statements.topBand')}
      </Typography.Paragraph>
    </Card>
  );
};

export const RebateProgress = ({ partnerId }: { partnerId?: string }) => {
  const rebates = useQuery({
    queryKey: ['rebates', partnerId ?? 'own'],
    queryFn: () => ok(api.GET('/rebates/progress', { params: { query: partnerId ? { partnerId } : {} } })),
  });
  return (
    <div className="rebate-list">
      {(rebates.data?.items ?? []).map((r) => (
        <RebateCard key={`${r.agreementId}-${r.period}`} rebate={r} />
      ))}
    </div>
  );
};
