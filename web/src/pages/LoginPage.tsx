/** Log in or register (a new account is a buyer: role `user`). */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Tabs } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { describeError } from '../api/errors';
import type { LoginAnswer } from '../api/types';
import { useSession } from '../stores/session';
import { useT } from '../i18n/language';

interface Credentials {
  username: string;
  password: string;
}

export default function LoginPage() {
  const signIn = useSession((s) => s.signIn);
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const t = useT();

  const enter = async ({ username, password }: Credentials, register: boolean) => {
    setBusy(true);
    setError(null);
    try {
      if (register) await api('POST', '/v1/auth/register', { username, password });
      const answer = await api<LoginAnswer>('POST', '/v1/auth/login', { username, password });
      signIn({
        accessToken: answer.accessToken,
        refreshToken: answer.refreshToken,
        userId: answer.user.userId,
        role: answer.user.role,
        username,
      });
      void navigate('/');
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  const form = (register: boolean) => (
    <Form<Credentials>
      name={register ? 'register' : 'login'}
      layout="vertical"
      onFinish={(v) => void enter(v, register)}
      requiredMark={false}
    >
      <Form.Item
        label={t('login.username')}
        name="username"
        rules={[{ required: true, message: t('login.usernameRequired') }]}
      >
        <Input autoComplete="username" />
      </Form.Item>
      <Form.Item
        label={t('login.password')}
        name="password"
        rules={[{ required: true, min: register ? 10 : 1, message: t('login.passwordRule') }]}
      >
        <Input.Password autoComplete={register ? 'new-password' : 'current-password'} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} block>
        {register ? t('login.submitRegister') : t('login.submitLogin')}
      </Button>
    </Form>
  );

  return (
    <Card title="DOOS" style={{ maxWidth: 400, margin: '48px auto' }}>
      {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
      <Tabs
        items={[
          { key: 'login', label: t('login.tabLogin'), children: form(false) },
          { key: 'register', label: t('login.tabRegister'), children: form(true) },
        ]}
      />
    </Card>
  );
}
