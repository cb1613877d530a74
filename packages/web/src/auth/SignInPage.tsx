import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiProblem } from '../api/client';
import { useI18n } from '../i18n';
import { Brand } from '../shared/Brand';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { homeOf, sessionQuery, signIn, useSession } from './session';

/** Only a path of this app may follow sign-in, never another site. */
export const safeNext = (next: string | null) => (next && /^\/(portal|console)(\/|$|\?)/.test(next) ? next : null);

export const SignInPage = () => {
  const { t } = useI18n();
  const session = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const mutation = useMutation({
    mutationFn: (values: { email: string; password: string }) => signIn(values.email.trim(), values.password),
    onSuccess: async (answer) => {
      await client.resetQueries();
      await client.fetchQuery(sessionQuery);
      const home = homeOf(answer.user);
      navigate(next?.startsWith(home) ? next : home, { replace: true });
    },
  });
  if (session.data && !mutation.isPending) return <Navigate to={homeOf(session.data.user)} replace />;
  const error = mutation.error;
  const message =
    error instanceof ApiProblem
      ? error.code === 'RATE_LIMITED'
        ? t('auth.rateLimited', { seconds: error.retryAfterSeconds ?? 60 })
        : error.code === 'INVALID_CREDENTIALS'
          ? t('auth.invalidCredentials')
          : error.detail
      : error
        ? t('common.networkError')
        : null;
  return (
    <main className="auth-screen">
      <div className="auth-top">
        <LanguageSwitch inverted />
      </div>
      <Card className="auth-card">
        <Brand size="large" />
        <Typography.Title level={1} className="auth-title">
          {t('auth.signInTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('auth.signInLead')}</Typography.Paragraph>
        {message && <Alert type="error" title={message} showIcon className="auth-alert" role="alert" />}
        <Form layout="vertical" requiredMark={false} onFinish={(v) => mutation.mutate(v)} size="large" name="sign-in">
          <Form.Item name="email" label={t('auth.email')} rules={[{ required: true, type: 'email', message: t('auth.emailRequired') }]}>
            <Input prefix={<MailOutlined aria-hidden />} autoComplete="username" inputMode="email" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={mutation.isPending}>
            {t('auth.signIn')}
          </Button>
        </Form>
      </Card>
      <Typography.Text type="secondary" className="auth-foot">
        {t('auth.foot')}
      </Typography.Text>
    </main>
  );
};
