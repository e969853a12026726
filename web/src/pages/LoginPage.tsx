import { GlobalOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Dropdown, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { LoginRequest } from '@yishi/shared/schemas';
import { authApi } from '../api/auth';
import { ApiError } from '../api/client';
import { qk } from '../api/keys';
import { saveLang, type Lang } from '../i18n';
import { errorText } from '../lib/errors';
import { rulesFor } from '../lib/forms';
import { useAction } from '../api/action';

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const rules = rulesFor(t);

  const login = useAction({
    mutationFn: (v: LoginForm) => authApi.login({ username: v.username.trim(), password: v.password }),
    onSuccess: ({ user }) => {
      qc.clear();
      qc.setQueryData(qk.me, user);
      if (user.mustChangePassword) navigate('/change-password', { replace: true });
      else navigate(from && from !== '/login' && from !== '/change-password' ? from : '/', { replace: true });
    },
  });

  return (
    <div className="login-page">
      <div className="login-lang">
        <Dropdown
          menu={{
            items: [
              { key: 'zh-CN', label: '中文' },
              { key: 'en', label: 'English' },
            ],
            onClick: (e) => saveLang(e.key as Lang),
          }}
        >
          <Button type="text" icon={<GlobalOutlined />}>
            {i18n.language === 'en' ? 'English' : '中文'}
          </Button>
        </Dropdown>
      </div>
      <Card className="login-card" variant="borderless">
        <div className="login-brand">
          <span className="brand-mark big">颐</span>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('app.name')} · {t('app.subtitle')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.footer')}</Typography.Text>
          </div>
        </div>
        {login.isError && (
          <Alert
            type={login.error instanceof ApiError && login.error.code === 'account_locked' ? 'warning' : 'error'}
            showIcon
            title={errorText(t, login.error)}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form<LoginForm> layout="vertical" size="large" onFinish={(v) => login.mutate(v)} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={rules(LoginRequest.shape.username, 'username')}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={rules(LoginRequest.shape.password, 'password')}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
