import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { policyApi, policyKeys, usePolicies, type PolicyVersionSummary } from '../../api/policy';
import { ErrorResult } from '../../components/PageState';
import { errorText } from '../../lib/errors';
import { FrozenTag, LEVEL_ORDER, LevelTag, StatusTag, useDates } from './common';

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
  return useMutation({
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

export function PolicyListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = usePolicies();
  const newVersion = useNewVersion();
  const dates = useDates();

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
      <Typography.Title level={4}>{t('policy.title')}</Typography.Title>
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
