import { LogoutOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { signOut, useSession } from '../auth/session';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { usePartner } from './queries';

/** Who is signed in, for which dealer, the language, and sign-out: the portal's account screen (phones have no menus). */
export const AccountPage = () => {
  const { t, f } = useI18n();
  const session = useSession().data!;
  const partner = usePartner().data;
  const client = useQueryClient();
  const navigate = useNavigate();
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('common.account')}
      </Typography.Title>
      <Card size="small">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('auth.name')}>{session.user.name}</Descriptions.Item>
          <Descriptions.Item label={t('auth.email')}>{session.user.email}</Descriptions.Item>
          <Descriptions.Item label={t('auth.role')}>{t(`roles.${session.user.role}`)}</Descriptions.Item>
          {partner && <Descriptions.Item label={t('orders.dealer')}>{partner.name}</Descriptions.Item>}
          {partner && <Descriptions.Item label={t('portal.account.creditLimit')}>{f.money(partner.creditLimit)}</Descriptions.Item>}
          <Descriptions.Item label={t('portal.account.sessionUntil')}>{f.dateTime(session.expiresAt)}</Descriptions.Item>
          <Descriptions.Item label={t('common.language')}>
            <LanguageSwitch />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Button
        danger
        block
        size="large"
        icon={<LogoutOutlined />}
        onClick={async () => {
          await signOut();
          client.clear();
          navigate('/sign-in', { replace: true });
        }}
      >
        {t('common.signOut')}
      </Button>
    </section>
  );
};
