import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Result, Spin, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiProblem, api, ok, setCsrfToken } from '../api/client';
import { useI18n } from '../i18n';
import { Brand } from '../shared/Brand';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { homeOf, sessionQuery } from './session';

const MIN_PASSWORD = 10;

/** The invitation link an admin shares: shows who is invited, and lets that person choose a password and sign in. */
export const AcceptInvitationPage = () => {
  const { t, f } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const client = useQueryClient();
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => ok(api.GET('/auth/invitations/{token}', { params: { path: { token } } })),
    enabled: token.length > 0,
  });
  const accept = useMutation({
    mutationFn: (values: { password: string; name?: string }) =>
      ok(api.POST('/auth/invitations/{token}/accept', { params: { path: { token } }, body: values })),
    onSuccess: async (answer) => {
      setCsrfToken(answer.csrfToken);
      // Everything read before is dropped, but not this link's invitation: asked again, the used link answers 404 and
      // the screen would say "cannot be used" while the person is signed in.
      await client.resetQueries({ predicate: (query) => query.queryKey[0] !== 'invitation' });
      // With its query function: nothing on this screen watches the session, so the key alone cannot fetch it (TanStack
      // Query takes the function from an observer), and the person stayed here, signed in, with the error unseen.
      await client.fetchQuery(sessionQuery);
      navigate(homeOf(answer.user), { replace: true });
    },
  });
  const failed = !token || invitation.error;
  return (
    <main className="auth-screen">
      <div className="auth-top">
        <LanguageSwitch inverted />
      </div>
      <Card className="auth-card">
        <Brand size="large" />
        {invitation.isLoading && <Spin />}
        {failed && (
          <Result
            status="warning"
            title={t('auth.invitationInvalid')}
            subTitle={invitation.error instanceof ApiProblem && invitation.error.status === 410 ? t('auth.invitationExpired') : t('auth.invitationAskAgain')}
          />
        )}
        {invitation.data && (
          <>
            <Typography.Title level={1} className="auth-title">
              {t('auth.acceptTitle')}
            </Typography.Title>
            <Descriptions column={1} size="small" className="auth-alert">
              <Descriptions.Item label={t('auth.email')}>{invitation.data.email}</Descriptions.Item>
              <Descriptions.Item label={t('auth.role')}>{t(`roles.${invitation.data.role}`)}</Descriptions.Item>
              <Descriptions.Item label={t('auth.expires')}>{f.dateTime(invitation.data.expiresAt)}</Descriptions.Item>
            </Descriptions>
            {accept.error && <Alert type="error" showIcon role="alert" className="auth-alert" title={(accept.error as Error).message} />}
            <Form
              layout="vertical"
              requiredMark={false}
              size="large"
              initialValues={{ name: invitation.data.name }}
              onFinish={(v) => accept.mutate({ name: v.name, password: v.password })}
            >
              <Form.Item name="name" label={t('auth.name')} rules={[{ required: true, message: t('auth.nameRequired') }]}>
                <Input autoComplete="name" />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('auth.newPassword')}
                extra={t('auth.passwordRule', { min: MIN_PASSWORD })}
                rules={[{ required: true, min: MIN_PASSWORD, message: t('auth.passwordRule', { min: MIN_PASSWORD }) }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="confirm"
                label={t('auth.confirmPassword')}
                dependencies={['password']}
                rules={[
                  { required: true, message: t('auth.confirmRequired') },
                  ({ getFieldValue }) => ({
                    validator: (_rule, value) =>
                      value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordsDiffer'))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={accept.isPending}>
                {t('auth.acceptAndSignIn')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </main>
  );
};
