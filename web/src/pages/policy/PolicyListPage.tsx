import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, Modal, Select, Space, Table, Typography, type ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { policyLevelsFor } from '@yishi/shared/policy';
import { useMe } from '../../api/auth';
import { policyApi, policyKeys, usePolicies, type NewPolicy, type PolicyLevel, type PolicyVersionSummary } from '../../api/policy';
import { useAreas } from '../../api/sites';
import { ErrorResult } from '../../components/PageState';
import { inGroup } from '../../lib/access';
import { errorText } from '../../lib/errors';
import { showFormError } from '../../lib/forms';
import { FrozenTag, LEVEL_ORDER, LevelTag, StatusTag, useDates } from './common';
import { useAction } from '../../api/action';

interface PolicyGroup {
  policyKey: string;
  latest: PolicyVersionSummary;
  versions: PolicyVersionSummary[];
}

/** Hook shared with the version page: make a new draft from a version and open it. */
export function useNewVersion() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  return useAction({
    mutationFn: (basedOn: string) => policyApi.newVersion(basedOn),
    onSuccess: (draft) => {
      qc.setQueryData(policyKeys.detail(draft.id), draft);
      void qc.invalidateQueries({ queryKey: policyKeys.list });
      message.success(t('policy.newVersionDone', { n: draft.version }));
      void navigate(`/policy/${draft.id}`);
    },
    onError: (e) => message.error(errorText(t, e)),
  });
}

/** The levels a role authors (its own and those below it), as the server allows them. */
const AREA_LEVEL: Record<PolicyLevel, string | null> = { city: 'city', district: 'district', street: 'street', charity: null };

/** A new policy: its level, its area (within the author's own) and its name; the server writes the first draft. */
function NewPolicyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const me = useMe().data;
  const areas = useAreas().data ?? [];
  const [form] = Form.useForm<NewPolicy>();
  const level = Form.useWatch('level', form);
  const levels = me ? policyLevelsFor(me.role) : [];
  const scope = me?.scopeAreaCode ?? '';
  const areaOptions = areas
    .filter((a) => a.code.startsWith(scope) && (level === undefined || AREA_LEVEL[level] === null || a.level === AREA_LEVEL[level]))
    .map((a) => ({ value: a.code, label: `${a.name}（${a.code}）` }));
  const create = useAction({
    mutationFn: (v: NewPolicy) => policyApi.create({ ...v, name: v.name.trim() }),
    onSuccess: (draft) => {
      qc.setQueryData(policyKeys.detail(draft.id), draft);
      void qc.invalidateQueries({ queryKey: policyKeys.list });
      message.success(t('policy.create.done'));
      onClose();
      void navigate(`/policy/${draft.id}?edit=1`);
    },
    onError: (e) => void message.error(showFormError(form, e, t)),
  });
  return (
    <Modal
      open={open}
      title={t('policy.create.title')}
      onCancel={onClose}
      destroyOnHidden
      okText={t('policy.create.ok')}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'policy-create-ok' } as ButtonProps}
      onOk={() => form.submit()}
    >
      <div data-testid="policy-create-dialog">
        <Typography.Paragraph type="secondary">{t('policy.create.intro')}</Typography.Paragraph>
        <Form<NewPolicy>
          form={form}
          layout="vertical"
          initialValues={{ level: levels[0], areaCode: levels[0] && AREA_LEVEL[levels[0]] === me?.role ? scope : undefined }}
          onFinish={(v) => create.mutate(v)}
          onValuesChange={(changed: Partial<NewPolicy>) => {
            if (changed.level) form.setFieldValue('areaCode', undefined);
          }}
        >
          <Form.Item
            name="level"
            label={t('policy.create.level')}
            htmlFor="policy-create-level"
            rules={[{ required: true, message: t('policy.create.levelRequired') }]}
          >
            <Select id="policy-create-level" data-testid="policy-create-level" options={levels.map((l) => ({ value: l, label: t(`policy.levels.${l}`) }))} />
          </Form.Item>
          <Form.Item
            name="areaCode"
            label={t('policy.create.area')}
            htmlFor="policy-create-area"
            extra={t('policy.create.areaHint')}
            rules={[{ required: true, message: t('policy.create.areaRequired') }]}
          >
            <Select id="policy-create-area" data-testid="policy-create-area" showSearch={{ optionFilterProp: 'label' }} options={areaOptions} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('policy.create.name')}
            htmlFor="policy-create-name"
            rules={[{ required: true, whitespace: true, message: t('policy.create.nameRequired') }, { max: 200 }]}
          >
            <Input id="policy-create-name" data-testid="policy-create-name" placeholder={t('policy.create.namePlaceholder')} maxLength={200} />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

export function PolicyListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = usePolicies();
  const newVersion = useNewVersion();
  const dates = useDates();
  const me = useMe().data;
  const [creating, setCreating] = useState(false);
  const mayCreate = inGroup(me?.role, 'areaStaff');

  const groups = useMemo<PolicyGroup[]>(() => {
    const by = new Map<string, PolicyVersionSummary[]>();
    for (const v of list.data ?? []) by.set(v.policyKey, [...(by.get(v.policyKey) ?? []), v]);
    return [...by.entries()]
      .map(([policyKey, vs]) => {
        const versions = [...vs].sort((a, b) => b.version - a.version);
        return { policyKey, versions, latest: versions[0]! };
      })
      .sort(
        (a, b) =>
          LEVEL_ORDER[a.latest.level] - LEVEL_ORDER[b.latest.level] ||
          a.latest.areaCode.localeCompare(b.latest.areaCode) ||
          a.policyKey.localeCompare(b.policyKey),
      );
  }, [list.data]);

  const columns: ColumnsType<PolicyVersionSummary> = [
    { title: t('policy.version'), dataIndex: 'version', width: 90, render: (n: number) => <b>{t('policy.versionN', { n })}</b> },
    { title: t('policy.level'), dataIndex: 'level', width: 80, render: (_v, r) => <LevelTag level={r.level} /> },
    { title: t('policy.area'), dataIndex: 'areaName', width: 90, render: (_v, r) => r.areaName ?? r.areaCode },
    {
      title: t('policy.name'),
      dataIndex: 'name',
      render: (_v, r) => <Typography.Link onClick={() => void navigate(`/policy/${r.id}`)}>{r.name}</Typography.Link>,
    },
    {
      title: t('policy.status'),
      width: 190,
      render: (_v, r) => (
        <Space size={4} wrap>
          <StatusTag status={r.status} />
          {r.frozen && <FrozenTag />}
        </Space>
      ),
    },
    { title: t('policy.effective'), width: 210, render: (_v, r) => <span className="mono small">{dates(r)}</span> },
    {
      title: t('common.actions'),
      width: 220,
      render: (_v, r) => (
        <Space size={4}>
          <Button size="small" onClick={() => void navigate(`/policy/${r.id}`)} data-testid={`policy-view-${r.id}`}>
            {t('policy.view')}
          </Button>
          {r.editable && r.status === 'draft' && (
            <Button size="small" type="primary" ghost onClick={() => void navigate(`/policy/${r.id}?edit=1`)} data-testid={`policy-edit-${r.id}`}>
              {t('policy.edit')}
            </Button>
          )}
          {r.status === 'published' && r.canAuthor && (
            <Button
              size="small"
              loading={newVersion.isPending && newVersion.variables === r.id}
              onClick={() => newVersion.mutate(r.id)}
              data-testid={`policy-new-version-${r.id}`}
            >
              {t('policy.newVersion')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  if (list.isError) return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />;

  return (
    <div className="page" data-testid="policy-list">
      <div className="toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('policy.title')}
        </Typography.Title>
        {mayCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="policy-create">
            {t('policy.create.button')}
          </Button>
        )}
      </div>
      <NewPolicyDialog open={creating} onClose={() => setCreating(false)} />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 860 }}>
        {t('policy.intro')}
      </Typography.Paragraph>
      {list.isPending && <Card loading />}
      {!list.isPending && groups.length === 0 && <Empty description={t('policy.empty')} />}
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {groups.map((g) => (
          <Card
            key={g.policyKey}
            size="small"
            data-testid={`policy-group-${g.policyKey}`}
            title={
              <Space size={8} wrap>
                <LevelTag level={g.latest.level} />
                <span>{g.latest.areaName ?? g.latest.areaCode}</span>
                <span>{g.latest.name}</span>
              </Space>
            }
            extra={<span className="muted small">{t('policy.versions', { count: g.versions.length })}</span>}
          >
            <Table<PolicyVersionSummary>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={g.versions}
              pagination={false}
              onRow={(r) => ({ 'data-testid': `policy-row-${r.id}` }) as HTMLAttributes<HTMLTableRowElement>}
            />
          </Card>
        ))}
      </Space>
    </div>
  );
}
