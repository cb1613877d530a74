import { UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, ok, type Schemas } from '../../api/client';
import { useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../../shared/ErrorPage';
import { useFeedback } from '../../shared/feedback';
import { usePartners } from '../partners/usePartners';

type User = Schemas['User'];
const ROLES = ['admin', 'sales', 'finance', 'auditor', 'dealer'] as const;
const STATUS_COLOR: Record<User['status'], string> = { invited: 'blue', active: 'green', suspended: 'red' };

type Role = (typeof ROLES)[number];

interface InviteForm {
  email: string;
  name: string;
  role: Role;
  partnerId?: string;
}

interface RoleForm {
  role: Role;
  partnerId?: string;
  reason?: string;
}

/** A one-time link to pass on: an invitation, or (for a person who has set a password) a password reset. */
interface IssuedLink {
  email: string;
  url: string;
  expiresAt: string;
  kind: 'invitation' | 'renewed' | 'reset';
}

/**
 * People who sign in: invite one (no mail server is assumed, so the one-time link is shown here to pass on), see who is
 * invited, active or suspended, change a role, issue a new link (the one before stops working), suspend with a reason
 * and reactivate.
 */
export const UsersPage = () => {
  const { t, f } = useI18n();
  const message = useFeedback();
  const me = useSession().data?.user;
  const client = useQueryClient();
  const [minPosition, setMinPosition] = useState<string | undefined>();
  const users = useQuery({
    queryKey: ['users', minPosition],
    queryFn: () => ok(api.GET('/users', { params: { query: minPosition ? { minPosition } : {} } })),
    placeholderData: (previous) => previous,
  });
  const [inviting, setInviting] = useState(false);
  const [link, setLink] = useState<IssuedLink | null>(null);
  const [suspending, setSuspending] = useState<User | null>(null);
  const [changingRole, setChangingRole] = useState<User | null>(null);
  const [assigningRegions, setAssigningRegions] = useState<User | null>(null);
  // The regions dealers are in, to pick from (a region nobody is in yet can be typed).
  const partners = usePartners();
  const regionOptions = [...new Set((partners.data ?? []).map((p) => p.region))].sort().map((r) => ({ value: r, label: r }));
  const [form] = Form.useForm<InviteForm>();
  const role = Form.useWatch('role', form);
  const [roleForm] = Form.useForm<RoleForm>();
  const newRole = Form.useWatch('role', roleForm);
  const written = (position: string) => {
    setMinPosition(position);
    void client.invalidateQueries({ queryKey: ['users'] });
  };
  const invite = useMutation({
    mutationFn: (v: InviteForm) =>
      ok(
        api.POST('/users/invitations', {
          headers: idempotencyKey(),
          body: { email: v.email.trim(), name: v.name.trim(), role: v.role, ...(v.role === 'dealer' && v.partnerId ? { partnerId: v.partnerId.trim() } : {}) },
        }),
      ),
    onSuccess: (answer, v) => {
      setInviting(false);
      setLink({ email: v.email, url: new URL(answer.acceptUrl, window.location.origin).href, expiresAt: answer.expiresAt, kind: 'invitation' });
      setMinPosition(answer.position);
    },
  });
  const renew = useMutation({
    mutationFn: (u: User) => ok(api.POST('/users/{userId}/invitation', { params: { path: { userId: u.userId } }, headers: idempotencyKey(), body: {} })),
    onSuccess: (answer, u) => {
      const kind = u.activatedAt ? 'reset' : 'renewed';
      setLink({ email: u.email, url: new URL(answer.acceptUrl, window.location.origin).href, expiresAt: answer.expiresAt, kind });
      written(answer.position);
    },
  });
  const changeRole = useMutation({
    mutationFn: ({ user, v }: { user: User; v: RoleForm }) =>
      ok(
        api.POST('/users/{userId}/role', {
          params: { path: { userId: user.userId } },
          headers: idempotencyKey(),
          body: {
            role: v.role,
            ...(v.role === 'dealer' && v.partnerId ? { partnerId: v.partnerId.trim() } : {}),
            ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
          },
        }),
      ),
    onSuccess: (accepted) => {
      setChangingRole(null);
      message.success(t('users.roleChanged'));
      written(accepted.position);
    },
  });
  const assignRegions = useMutation({
    mutationFn: ({ user, regions }: { user: User; regions: string[] }) =>
      ok(api.PUT('/users/{userId}/regions', { params: { path: { userId: user.userId } }, headers: idempotencyKey(), body: { regions } })),
    onSuccess: (accepted) => {
      setAssigningRegions(null);
      message.success(t('users.regionsAssigned'));
      written(accepted.position);
    },
  });
  const act = useMutation({
    mutationFn: ({ userId, action, reason }: { userId: string; action: 'suspend' | 'reactivate'; reason?: string }) =>
      action === 'suspend'
        ? ok(api.POST('/users/{userId}/suspend', { params: { path: { userId } }, headers: idempotencyKey(), body: { reason: reason ?? '' } }))
        : ok(api.POST('/users/{userId}/reactivate', { params: { path: { userId } }, headers: idempotencyKey(), body: {} })),
    onSuccess: (accepted) => {
      setSuspending(null);
      written(accepted.position);
    },
  });
  if (users.error) return <ProblemResult error={users.error} />;
  return (
    <section className="page">
      <div className="page-title-row">
        <Typography.Title level={1} className="page-title">
          {t('console.nav.users')}
        </Typography.Title>
        <Button type="primary" icon={<UserAddOutlined />} onClick={() => setInviting(true)}>
          {t('users.invite')}
        </Button>
      </div>
      {link && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setLink(null) }}
          className="form-alert"
          title={link.kind === 'reset' ? t('users.resetTitle', { email: link.email }) : t('users.linkTitle', { email: link.email })}
          description={
            <>
              <Typography.Paragraph copyable={{ text: link.url }} className="hash" data-testid="invitation-link">
                {link.url}
              </Typography.Paragraph>
              <Typography.Text type="secondary">
                {t('users.linkNote', { date: f.dateTime(link.expiresAt) })}
                {link.kind !== 'invitation' && ` ${t('users.resendNote')}`}
              </Typography.Text>
            </>
          }
        />
      )}
      {(act.error ?? renew.error) && <Alert type="error" showIcon title={(act.error ?? renew.error)!.message} className="form-alert" />}
      <Table<User>
        size="small"
        rowKey="userId"
        loading={users.isPending}
        dataSource={users.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1250 }}
        columns={[
          { title: t('auth.email'), dataIndex: 'email', sorter: (a, b) => a.email.localeCompare(b.email) },
          { title: t('users.name'), dataIndex: 'name' },
          {
            title: t('users.role'),
            key: 'role',
            render: (_, u) => `${t(`roles.${u.role}` as never, { defaultValue: u.role }) as string}${u.partnerId ? ` · ${u.partnerId}` : ''}`,
            filters: ROLES.map((r) => ({ text: t(`roles.${r}`), value: r })),
            onFilter: (value, u) => u.role === value,
          },
          {
            title: t('common.status'),
            key: 'status',
            render: (_, u) => <Tag color={STATUS_COLOR[u.status]}>{t(`users.status.${u.status}`)}</Tag>,
            filters: (['invited', 'active', 'suspended'] as const).map((s) => ({ text: t(`users.status.${s}`), value: s })),
            onFilter: (value, u) => u.status === value,
          },
          { title: t('users.regions'), key: 'regions', render: (_, u) => (u.regions.length ? u.regions.join(', ') : '') },
          { title: t('users.lastSignIn'), key: 'last', render: (_, u) => f.dateTime(u.lastSignInAt) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, u) => (
              <Space wrap>
                {u.userId !== me?.userId && (
                  <Button
                    size="small"
                    onClick={() => {
                      changeRole.reset();
                      roleForm.setFieldsValue({ role: u.role as Role, partnerId: u.partnerId ?? undefined, reason: undefined });
                      setChangingRole(u);
                    }}
                    aria-label={t('users.actionFor', { action: t('users.changeRole'), email: u.email })}
                  >
                    {t('users.changeRole')}
                  </Button>
                )}
                {(u.role === 'sales' || u.regions.length > 0) && (
                  <Button
                    size="small"
                    onClick={() => {
                      assignRegions.reset();
                      setAssigningRegions(u);
                    }}
                    aria-label={t('users.actionFor', { action: t('users.assignRegions'), email: u.email })}
                  >
                    {t('users.assignRegions')}
                  </Button>
                )}
                {u.status !== 'suspended' && (
                  <Button
                    size="small"
                    onClick={() => renew.mutate(u)}
                    loading={renew.isPending && renew.variables?.userId === u.userId}
                    aria-label={t('users.actionFor', { action: u.activatedAt ? t('users.resetLink') : t('users.resendInvitation'), email: u.email })}
                  >
                    {u.activatedAt ? t('users.resetLink') : t('users.resendInvitation')}
                  </Button>
                )}
                {u.status !== 'suspended' && (
                  <Button size="small" danger onClick={() => setSuspending(u)} aria-label={t('users.suspendNamed', { email: u.email })}>
                    {t('users.suspend')}
                  </Button>
                )}
                {u.status === 'suspended' && (
                  <Button size="small" onClick={() => act.mutate({ userId: u.userId, action: 'reactivate' })} loading={act.isPending}>
                    {t('users.reactivate')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={inviting} title={t('users.invite')} onCancel={() => setInviting(false)} footer={null} destroyOnHidden>
        <Form<InviteForm> form={form} layout="vertical" onFinish={(v) => invite.mutate(v)} initialValues={{ role: 'sales' }}>
          <Form.Item name="email" label={t('auth.email')} rules={[{ required: true, type: 'email' }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="name" label={t('users.name')} rules={[{ required: true, whitespace: true }, { max: 120 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
            <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
          </Form.Item>
          {role === 'dealer' && (
            <Form.Item name="partnerId" label={t('users.partner')} rules={[{ required: true, whitespace: true }]}>
              <Input placeholder="nordic-flow" />
            </Form.Item>
          )}
          {invite.error && <Alert type="error" showIcon title={invite.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={invite.isPending}>
            {t('users.sendInvitation')}
          </Button>
        </Form>
      </Modal>
      <Modal
        open={changingRole !== null}
        title={t('users.changeRoleNamed', { email: changingRole?.email ?? '' })}
        onCancel={() => setChangingRole(null)}
        footer={null}
        forceRender
      >
        <Form<RoleForm> form={roleForm} layout="vertical" onFinish={(v) => changingRole && changeRole.mutate({ user: changingRole, v })}>
          <Form.Item name="role" label={t('users.newRole')} rules={[{ required: true }]}>
            <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
          </Form.Item>
          {newRole === 'dealer' && (
            <Form.Item name="partnerId" label={t('users.partner')} rules={[{ required: true, whitespace: true }]}>
              <Input placeholder="nordic-flow" />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t('common.reason')} rules={[{ max: 500 }]}>
            <Input maxLength={500} />
          </Form.Item>
          {changeRole.error && <Alert type="error" showIcon title={changeRole.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={changeRole.isPending}>
            {t('users.changeRole')}
          </Button>
        </Form>
      </Modal>
      <Modal
        open={assigningRegions !== null}
        title={t('users.assignRegionsNamed', { email: assigningRegions?.email ?? '' })}
        onCancel={() => setAssigningRegions(null)}
        footer={null}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          initialValues={{ regions: assigningRegions?.regions ?? [] }}
          onFinish={(v: { regions?: string[] }) => assigningRegions && assignRegions.mutate({ user: assigningRegions, regions: v.regions ?? [] })}
        >
          <Typography.Paragraph type="secondary">{t('users.regionsLead')}</Typography.Paragraph>
          <Form.Item name="regions" label={t('users.regions')}>
            <Select mode="tags" allowClear options={regionOptions} tokenSeparators={[',', ' ']} />
          </Form.Item>
          {assignRegions.error && <Alert type="error" showIcon title={assignRegions.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={assignRegions.isPending}>
            {t('common.save')}
          </Button>
        </Form>
      </Modal>
      <Modal
        open={suspending !== null}
        title={t('users.suspendNamed', { email: suspending?.email ?? '' })}
        onCancel={() => setSuspending(null)}
        footer={null}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          onFinish={(v: { reason: string }) => suspending && act.mutate({ userId: suspending.userId, action: 'suspend', reason: v.reason })}
        >
          <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true }, { max: 500 }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Button danger type="primary" htmlType="submit" loading={act.isPending}>
            {t('users.suspend')}
          </Button>
        </Form>
      </Modal>
    </section>
  );
};
