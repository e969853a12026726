import { Button, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAudit, type AuditEntry } from '../../api/settlement';
import { useCanteens } from '../../api/sites';
import { ErrorResult } from '../../components/PageState';
import { fmtDateTime } from '../../lib/format';

const PAGE = 50;
/** The filters, as they are named in the address bar. */
type Field = 'who' | 'action' | 'entityType' | 'entityId' | 'canteen' | 'from' | 'to';

interface FormValues {
  who?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  canteen?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** The hash-chained audit log, newest first, filtered by who, what, which entity, where and when (street and district staff see their area). */
export function AuditPage() {
  const { t } = useTranslation();
  const canteens = useCanteens();
  const [params, setParams] = useSearchParams();
  const get = (k: Field) => params.get(k)?.trim() || undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const q = {
    ...(get('who') ? { who: get('who') } : {}),
    ...(get('action') ? { action: get('action') } : {}),
    ...(get('entityType') ? { entityType: get('entityType') } : {}),
    ...(get('entityId') ? { entityId: get('entityId') } : {}),
    ...(get('canteen') ? { canteenId: get('canteen') } : {}),
    ...(get('from') ? { from: get('from') } : {}),
    ...(get('to') ? { to: get('to') } : {}),
  };
  const log = useAudit({ ...q, limit: PAGE, offset: (page - 1) * PAGE });
  const canteenName = new Map((canteens.data ?? []).map((c) => [c.id, c.shortName]));

  const search = (v: FormValues) => {
    const next = new URLSearchParams();
    const put = (k: Field, s: string | undefined | null) => {
      if (s?.trim()) next.set(k, s.trim());
    };
    put('who', v.who);
    put('action', v.action);
    put('entityType', v.entityType);
    put('entityId', v.entityId);
    put('canteen', v.canteen);
    put('from', v.range?.[0]?.format('YYYY-MM-DD'));
    put('to', v.range?.[1]?.format('YYYY-MM-DD'));
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<AuditEntry> = [
    { title: t('audit.seq'), dataIndex: 'seq', width: 80 },
    { title: t('audit.at'), width: 150, render: (_v, e) => fmtDateTime(e.at) },
    {
      title: t('audit.who'),
      width: 130,
      render: (_v, e) => (e.actorType === 'user' ? (e.actorName ?? e.actorId ?? '—') : e.actorType === 'device' ? t('audit.device') : t('audit.system')),
    },
    {
      title: t('audit.action'),
      width: 200,
      // What was done in words, with the code under it (the 操作 filter takes codes).
      render: (_v, e) => {
        const label = t(`audit.actions.${e.action}`, { defaultValue: '' });
        return (
          <div data-testid={`audit-action-${e.seq}`}>
            {label && <div>{label}</div>}
            <Tag className="mono small">{e.action}</Tag>
          </div>
        );
      },
    },
    { title: t('audit.entity'), width: 220, render: (_v, e) => <span className="mono small">{`${e.entityType}${e.entityId ? ` · ${e.entityId}` : ''}`}</span> },
    {
      title: t('audit.canteen'),
      width: 110,
      render: (_v, e) =>
        e.canteenId
          ? (canteenName.get(e.canteenId) ?? (
              // A canteen outside the caller's area (an elder of theirs who ate there): not a raw id.
              <Tooltip title={e.canteenId}>
                <Typography.Text type="secondary">{t('audit.otherCanteen')}</Typography.Text>
              </Tooltip>
            ))
          : (e.areaCode ?? '—'),
    },
    {
      title: t('audit.details'),
      render: (_v, e) => (
        <Typography.Text className="mono small" ellipsis={{ tooltip: false }} style={{ maxWidth: 420 }}>
          {JSON.stringify(e.details)}
        </Typography.Text>
      ),
    },
  ];

  const from = get('from');
  const to = get('to');
  return (
    <div className="page" data-testid="audit-page">
      <Typography.Title level={4}>{t('audit.title')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 900 }}>
        {t('audit.intro')}
      </Typography.Paragraph>
      <Form<FormValues>
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        key={params.toString()}
        initialValues={{
          who: get('who'),
          action: get('action'),
          entityType: get('entityType'),
          entityId: get('entityId'),
          canteen: get('canteen'),
          range: from || to ? [from ? dayjs(from) : null, to ? dayjs(to) : null] : null,
        }}
        onFinish={search}
      >
        <Form.Item name="who" label={t('audit.who')}>
          <Input placeholder={t('audit.whoPlaceholder')} allowClear style={{ width: 140 }} data-testid="audit-who" />
        </Form.Item>
        <Form.Item name="action" label={t('audit.action')} rules={[{ pattern: /^[a-z_.]+$/, message: t('audit.actionPlaceholder') }]}>
          <Input placeholder={t('audit.actionPlaceholder')} allowClear style={{ width: 190 }} data-testid="audit-action" />
        </Form.Item>
        <Form.Item name="entityType" label={t('audit.entityType')} rules={[{ pattern: /^[a-z_]+$/ }]}>
          <Input placeholder="claim" allowClear style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="entityId" label={t('audit.entityId')}>
          <Input allowClear style={{ width: 200 }} data-testid="audit-entity-id" />
        </Form.Item>
        <Form.Item name="canteen" label={t('audit.canteen')}>
          <Select
            allowClear
            style={{ width: 170 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={(canteens.data ?? []).map((c) => ({ value: c.id, label: c.shortName }))}
          />
        </Form.Item>
        <Form.Item name="range" label={`${t('audit.from')}/${t('audit.to')}`}>
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="audit-search">
            {t('audit.search')}
          </Button>
          <Button onClick={() => setParams(new URLSearchParams(), { replace: true })}>{t('audit.reset')}</Button>
        </Space>
      </Form>
      {log.isError && <ErrorResult error={log.error} onRetry={() => void log.refetch()} />}
      <Table<AuditEntry>
        rowKey="seq"
        size="small"
        loading={log.isFetching}
        columns={columns}
        dataSource={log.data?.items ?? []}
        locale={{ emptyText: t('audit.empty') }}
        expandable={{
          expandedRowRender: (e) => (
            <pre className="mono small" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
              {JSON.stringify(e.details, null, 2)}
            </pre>
          ),
        }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: log.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('common.total', { count: n }),
          onChange: (p) => {
            const next = new URLSearchParams(params);
            next.set('page', String(p));
            setParams(next, { replace: true });
          },
        }}
        onRow={(e) => ({ 'data-testid': `audit-row-${e.seq}`, 'data-action': e.action }) as HTMLAttributes<HTMLTableRowElement>}
      />
    </div>
  );
}
