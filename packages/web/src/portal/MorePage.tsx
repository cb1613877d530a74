import { RightOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../i18n';

/** The screens a phone's tab bar has no room for (it holds five and "More"), one tap away. */
export const MorePage = ({ links }: { links: readonly { to: string; label: string; icon: ReactNode }[] }) => {
  const { t } = useI18n();
  return (
    <section className="page">
      <Typography.Title level={1} className="page-title">
        {t('portal.nav.more')}
      </Typography.Title>
      <nav className="portal-more" aria-label={t('portal.nav.more')}>
        {links.map((link) => (
          <Link key={link.to} to={link.to} className="portal-more-link">
            <span className="portal-more-icon">{link.icon}</span>
            <span className="portal-more-label">{link.label}</span>
            <RightOutlined aria-hidden />
          </Link>
        ))}
      </nav>
    </section>
  );
};
