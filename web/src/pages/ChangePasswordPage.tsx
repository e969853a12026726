import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { ChangePasswordRequest } from '@yishi/shared/schemas';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { authApi, useMe } from '../api/auth';
import { qk } from '../api/keys';
import { rulesFor, showFormError } from '../lib/forms';
import { useAction } from '../api/action';

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
  const rules = rulesFor(t);
  const [formError, setFormError] = useState<string | null>(null);

  const change = useAction({
    mutationFn: (v: PwForm) => authApi.changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: async () => {
      message.success(t('password.changed'));
      await qc.invalidateQueries({ queryKey: qk.me });
      navigate('/', { replace: true });
    },
    onError: (e) => setFormError(showFormError(form, e, t, { byCode: { login_failed: 'currentPassword', weak_password: 'newPassword' } })),
  });

  return (
    <div className="login-page">
      <Card className="login-card" variant="borderless">
        <Typography.Title level={3}>{forced ? t('password.forcedTitle') : t('password.title')}</Typography.Title>
        {forced && <Typography.Paragraph type="secondary">{t('password.forcedDesc')}</Typography.Paragraph>}
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="pw-error" />}
        <Form<PwForm>
          form={form}
          layout="vertical"
          size="large"
          onFinish={(v) => change.mutate(v)}
          onValuesChange={() => setFormError(null)}
          requiredMark={false}
        >
          <Form.Item name="currentPassword" label={t('password.current')} rules={rules(ChangePasswordRequest.shape.currentPassword, 'currentPassword')}>
            <Input.Password autoComplete="current-password" data-testid="pw-current" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('password.next')}
            extra={t('password.rule')}
            rules={rules(ChangePasswordRequest.shape.newPassword, 'newPassword')}
          >
            <Input.Password autoComplete="new-password" data-testid="pw-new" />
          </Form.Item>
          <Form.Item
            name="repeat"
            label={t('password.repeat')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('validation.required') },
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
