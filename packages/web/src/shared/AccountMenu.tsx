import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Avatar, Dropdown } from 'antd';
import { useNavigate } from 'react-router';
import { signOut, useSession } from '../auth/session';
import { useI18n } from '../i18n';

/** The signed-in person, their role, and sign-out. */
export const AccountMenu = ({ inverted = false }: { inverted?: boolean }) => {
  const { t } = useI18n();
  const session = useSession().data;
  const client = useQueryClient();
  const navigate = useNavigate();
  if (!session) return null;
  const { user } = session;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'who', label: `${user.name} · ${t(`roles.${user.role}`)}`, disabled: true },
          { key: 'email', label: user.email, disabled: true },
          { type: 'divider' },
          { key: 'sign-out', icon: <LogoutOutlined />, label: t('common.signOut') },
        ],
        onClick: async ({ key }) => {
          if (key !== 'sign-out') return;
          await signOut();
          client.clear();
          navigate('/sign-in', { replace: true });
        },
      }}
    >
      <button type="button" className={`account-button${inverted ? ' inverted' : ''}`} aria-label={t('common.signedInAs', { name: user.name })}>
        <Avatar size="small" icon={<UserOutlined />} className="account-avatar" />
        <span className="account-name">{user.name}</span>
      </button>
    </Dropdown>
  );
};
