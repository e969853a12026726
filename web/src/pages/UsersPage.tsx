import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Role } from '@yishi/shared/domain';
import { ROLES } from '@yishi/shared/domain';
import { CreateUserRequest } from '@yishi/shared/schemas';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateUser, useMe, useUserAction, useUsers, type UserAction, type UserSummary } from '../api/auth';
import { useAreas, useCanteens } from '../api/sites';
import { ErrorResult } from '../components/PageState';
import { errorText } from '../lib/errors';
import { rulesFor, showFormError } from '../lib/forms';
import { fmtDateTime } from '../lib/format';
import { serverNow } from '../lib/serverClock';

const SCOPE_LEVEL: Record<Role, 'street' | 'district' | 'city' | null> = {
  operator: null,
  street: 'street',
  district: 'district',
  city: 'city',
  admin: 'city',
};

function randomPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const buf = new Uint32Array(12);
  crypto.getRandomValues(buf);
  let s = letters[buf[0]! % letters.length]! + digits[buf[1]! % digits.length]!;
  for (let i = 2; i < 12; i++) s += all[buf[i]! % all.length];
  return s;
}

interface UserForm {
  username: string;
  displayName: string;
  role: Role;
  scopeAreaCode?: string;
  canteenIds: string[];
  canSeeIdNumbers: boolean;
  initialPassword: string;
}

function CreateUserDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = rulesFor(t);
  const me = useMe().data;
  const [form] = Form.useForm<UserForm>();
  const role = Form.useWatch('role', form);
  const areas = useAreas();
  const canteens = useCanteens();
  const level = role ? SCOPE_LEVEL[role] : null;
  const roles = ROLES.filter((r) => me?.role === 'admin' || r !== 'admin');

  const create = useCreateUser();

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={480}
      title={t('users.create')}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={() => form.submit()} loading={create.isPending} data-testid="user-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form<UserForm>
        form={form}
        layout="vertical"
        initialValues={{ role: 'operator', canteenIds: [], canSeeIdNumbers: false, initialPassword: randomPassword() }}
        onFinish={(v) =>
          create.mutate(
            {
              username: v.username.trim(),
              displayName: v.displayName.trim(),
              role: v.role,
              scopeAreaCode: SCOPE_LEVEL[v.role] ? (v.scopeAreaCode ?? null) : null,
              canteenIds: v.role === 'operator' ? v.canteenIds : [],
              canSeeIdNumbers: v.canSeeIdNumbers,
              initialPassword: v.initialPassword,
            },
            {
              onSuccess: () => {
                message.success(t('users.created'));
                onClose();
              },
              onError: (e) => void message.error(showFormError(form, e, t)),
            },
          )
        }
      >
        <Form.Item name="username" label={t('users.username')} rules={rules(CreateUserRequest.shape.username, 'username')} extra={t('users.usernameHint')}>
          <Input autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={rules(CreateUserRequest.shape.displayName, 'displayName')}>
          <Input data-testid="user-displayname" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={rules(CreateUserRequest.shape.role, 'role')}>
          <Select options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} data-testid="user-role" />
        </Form.Item>
        {level && (
          <Form.Item name="scopeAreaCode" label={t('users.scope')} rules={[{ required: true, message: t('validation.choose') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={areas.isPending}
              options={(areas.data ?? []).filter((a) => a.level === level).map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))}
            />
          </Form.Item>
        )}
        {role === 'operator' && (
          <Form.Item name="canteenIds" label={t('users.canteens')} rules={[{ required: true, type: 'array', min: 1, message: t('validation.choose') }]}>
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              loading={canteens.isPending}
              options={(canteens.data ?? []).map((c) => ({ value: c.id, label: `${c.shortName} · ${c.streetName}` }))}
            />
          </Form.Item>
        )}
        <Form.Item name="canSeeIdNumbers" valuePropName="checked">
          <Checkbox>{t('users.canSeeId')}</Checkbox>
        </Form.Item>
        <Form.Item label={t('users.initialPassword')} extra={t('users.initialPasswordHint')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="initialPassword" noStyle rules={rules(CreateUserRequest.shape.initialPassword, 'initialPassword')}>
              <Input className="mono" data-testid="user-password" aria-label={t('users.initialPassword')} />
            </Form.Item>
            <Button onClick={() => form.setFieldValue('initialPassword', randomPassword())}>{t('users.generate')}</Button>
          </Space.Compact>
        </Form.Item>
      </Form>
    </Drawer>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const users = useUsers();
  const action = useUserAction();
  const canteens = useCanteens();
  const areas = useAreas();
  const [creating, setCreating] = useState(false);

  const canteenName = useMemo(() => new Map((canteens.data ?? []).map((c) => [c.id, c.shortName])), [canteens.data]);
  const areaName = useMemo(() => new Map((areas.data ?? []).map((a) => [a.code, a.name])), [areas.data]);

  const act = async (u: UserSummary, what: UserAction) => {
    try {
      await action.mutateAsync({ id: u.id, action: what });
      message.success(t('common.saved'));
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const columns: ColumnsType<UserSummary> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      render: (v: string) => <span className="mono">{v}</span>,
      sorter: (a, b) => a.username.localeCompare(b.username),
    },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    {
      title: t('users.role'),
      dataIndex: 'role',
      width: 110,
      render: (r: Role) => <Tag color={r === 'admin' ? 'magenta' : r === 'operator' ? 'blue' : 'geekblue'}>{t(`roles.${r}`)}</Tag>,
      filters: ROLES.map((r) => ({ text: t(`roles.${r}`), value: r })),
      onFilter: (v, u) => u.role === v,
    },
    {
      title: `${t('users.scope')} / ${t('users.canteens')}`,
      render: (_v, u) =>
        u.role === 'operator'
          ? u.canteenIds.map((id) => <Tag key={id}>{canteenName.get(id) ?? id}</Tag>)
          : u.scopeAreaCode
            ? (areaName.get(u.scopeAreaCode) ?? u.scopeAreaCode)
            : '—',
    },
    {
      title: t('users.status'),
      width: 200,
      render: (_v, u) => (
        <Space size={4} wrap>
          {u.disabled ? <Tag color="red">{t('users.disabled')}</Tag> : <Tag color="green">{t('users.active')}</Tag>}
          {u.lockedUntil && Date.parse(u.lockedUntil) > serverNow() && <Tag color="orange">{t('users.locked', { time: fmtDateTime(u.lockedUntil) })}</Tag>}
          {u.mustChangePassword && <Tag>{t('users.mustChange')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      width: 160,
      render: (_v, u) => (
        <Space size={4}>
          {u.disabled ? (
            <Button size="small" onClick={() => void act(u, 'enable')} data-testid={`user-enable-${u.id}`}>
              {t('users.enable')}
            </Button>
          ) : (
            <Button
              size="small"
              danger
              data-testid={`user-disable-${u.id}`}
              onClick={() =>
                modal.confirm({
                  title: `${t('users.disable')} · ${u.username}`,
                  content: t('users.disableConfirm'),
                  okButtonProps: { danger: true },
                  onOk: () => act(u, 'disable'),
                })
              }
            >
              {t('users.disable')}
            </Button>
          )}
          {u.lockedUntil && Date.parse(u.lockedUntil) > serverNow() && (
            <Button size="small" onClick={() => void act(u, 'unlock')} data-testid={`user-unlock-${u.id}`}>
              {t('users.unlock')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  if (users.isError) return <ErrorResult error={users.error} onRetry={() => void users.refetch()} />;

  return (
    <div className="page">
      <div className="toolbar">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('users.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
          {t('users.create')}
        </Button>
      </div>
      <Table<UserSummary>
        data-testid="users-table"
        rowKey="id"
        size="small"
        loading={users.isPending}
        columns={columns}
        dataSource={users.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(u) => ({ 'data-testid': `user-row-${u.id}` }) as HTMLAttributes<HTMLTableRowElement>}
      />
      <CreateUserDrawer open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
