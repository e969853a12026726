import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { NewPassword } from '@yishi/shared/schemas';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { qk, useMe } from '../api/queries';
import { applyFieldErrors, errorText } from '../lib/errors';

interface PwForm {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<PwForm>();
  const forced = me?.mustChangePassword ?? true;

  const change = useMutation({
    mutationFn: (v: PwForm) => api.post('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: async () => {
      message.success(t('password.changed'));
      await qc.invalidateQueries({ queryKey: qk.me });
      navigate('/', { replace: true });
    },
    onError: (e) => applyFieldErrors(form, e),
  });

  return (
    <div className="login-page">
      <Card className="login-card" variant="borderless">
        <Typography.Title level={3}>{forced ? t('password.forcedTitle') : t('password.title')}</Typography.Title>
        {forced && <Typography.Paragraph type="secondary">{t('password.forcedDesc')}</Typography.Paragraph>}
        {change.isError && <Alert type="error" showIcon title={errorText(t, change.error)} style={{ marginBottom: 16 }} />}
        <Form<PwForm> form={form} layout="vertical" size="large" onFinish={(v) => change.mutate(v)} requiredMark={false}>
          <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('common.required') }]}>
            <Input.Password autoComplete="current-password" data-testid="pw-current" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('password.next')}
            extra={t('password.rule')}
            rules={[
              { required: true, message: t('common.required') },
              {
                validator: async (_r, v: string | undefined) => {
                  if (v && !NewPassword.safeParse(v).success) throw new Error(t('password.rule'));
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="pw-new" />
          </Form.Item>
          <Form.Item
            name="repeat"
            label={t('password.repeat')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('common.required') },
              ({ getFieldValue }) => ({
                validator: async (_r, v: string | undefined) => {
                  if (v && v !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="pw-repeat" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={change.isPending} data-testid="pw-submit">
            {t('common.save')}
          </Button>
          {!forced && (
            <Button type="link" block onClick={() => navigate(-1)} style={{ marginTop: 8 }}>
              {t('common.back')}
            </Button>
          )}
        </Form>
      </Card>
    </div>
  );
}
