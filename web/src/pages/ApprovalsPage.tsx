import { Alert, App, Button, Empty, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ApproveCategoryRequest, RejectCategoryRequest } from '@yishi/shared/schemas';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useDecideCategory, usePendingCategories, type PendingCategory } from '../api/residents';
import { useAreas, useCanteens } from '../api/sites';
import { ErrorResult } from '../components/PageState';
import { fmtDateTime } from '../lib/format';
import { rulesFor, showFormError } from '../lib/forms';

type Decision = { entry: PendingCategory; approve: boolean };

/**
 * The approval queue of street and district staff: categories (特困, 低保 …) that change a subsidy, proposed by a
 * canteen or a colleague, counted by pricing only once someone here approves them having seen the evidence.
 */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const pending = usePendingCategories();
  const areas = useAreas();
  const canteens = useCanteens();
  const areaName = useMemo(() => new Map((areas.data ?? []).map((a) => [a.code, a.name])), [areas.data]);
  const canteenName = useMemo(() => new Map((canteens.data ?? []).map((c) => [c.id, c.name])), [canteens.data]);
  const [deciding, setDeciding] = useState<Decision | null>(null);

  const columns: ColumnsType<PendingCategory> = [
    {
      title: t('approvals.resident'),
      render: (_v, c) => (
        <div>
          <b>{c.residentName}</b>
          <div className="muted small">
            {areaName.get(c.residenceAreaCode) ?? c.residenceAreaCode}
            {c.homeCanteenId ? ` · ${c.homeCanteenName ?? canteenName.get(c.homeCanteenId) ?? ''}` : ''}
          </div>
        </div>
      ),
    },
    {
      title: t('approvals.category'),
      width: 140,
      render: (_v, c) => (
        <div>
          <Tag color="gold">{t(`categories.${c.code}`)}</Tag>
          <div className="muted small">
            {c.validFrom} ~ {c.validTo ?? t('residents.openEnded')}
          </div>
        </div>
      ),
    },
    {
      title: t('approvals.evidence'),
      render: (_v, c) => (
        <span className="approval-evidence" data-testid={`approval-evidence-${c.id}`}>
          {c.evidence}
        </span>
      ),
    },
    {
      title: t('approvals.proposed'),
      width: 200,
      render: (_v, c) => (
        <div className="small">
          {c.proposedBy ?? '—'}
          <div className="muted">{fmtDateTime(c.proposedAt)}</div>
        </div>
      ),
    },
    {
      title: t('common.actions'),
      width: 170,
      // The server refuses a decision on one's own proposal, in words shown in the dialog.
      render: (_v, c) => (
        <Space size={4}>
          <Button size="small" type="primary" onClick={() => setDeciding({ entry: c, approve: true })} data-testid={`approval-approve-${c.id}`}>
            {t('approvals.approve')}
          </Button>
          <Button size="small" danger onClick={() => setDeciding({ entry: c, approve: false })} data-testid={`approval-reject-${c.id}`}>
            {t('approvals.reject')}
          </Button>
        </Space>
      ),
    },
  ];

  if (pending.isError) return <ErrorResult error={pending.error} onRetry={() => void pending.refetch()} />;

  return (
    <div className="page">
      <div className="toolbar">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('approvals.title')}
        </Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t('approvals.intro')}</Typography.Paragraph>
      <Table<PendingCategory>
        data-testid="approvals-table"
        rowKey="id"
        size="small"
        loading={pending.isPending}
        columns={columns}
        dataSource={pending.data ?? []}
        locale={{ emptyText: <Empty description={t('approvals.empty')} /> }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(c) => ({ 'data-testid': `approval-row-${c.id}` }) as HTMLAttributes<HTMLTableRowElement>}
      />
      {deciding && <DecideModal decision={deciding} onClose={() => setDeciding(null)} />}
    </div>
  );
}

/** Approve (with what was checked) or reject (with why), the evidence in front of the approver. */
function DecideModal({ decision: { entry: c, approve }, onClose }: { decision: Decision; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = rulesFor(t);
  const [form] = Form.useForm<{ note?: string; reason?: string }>();
  const [formError, setFormError] = useState<string | null>(null);
  const decide = useDecideCategory();
  const field = approve ? 'note' : 'reason';
  return (
    <Modal
      open
      title={t(approve ? 'approvals.approveTitle' : 'approvals.rejectTitle', { name: c.residentName, category: t(`categories.${c.code}`) })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" danger={!approve} loading={decide.isPending} onClick={() => form.submit()} data-testid="approval-confirm">
            {t(approve ? 'approvals.approve' : 'approvals.reject')}
          </Button>
        </Space>
      }
    >
      <dl className="approval-facts">
        <dt>{t('approvals.category')}</dt>
        <dd>
          {t(`categories.${c.code}`)} · {c.validFrom} ~ {c.validTo ?? t('residents.openEnded')}
        </dd>
        <dt>{t('approvals.evidence')}</dt>
        <dd data-testid="approval-modal-evidence">{c.evidence}</dd>
        <dt>{t('approvals.proposed')}</dt>
        <dd>
          {c.proposedBy ?? '—'} · {fmtDateTime(c.proposedAt)}
        </dd>
      </dl>
      {approve && <Alert type="info" showIcon title={t('approvals.approveEffect')} style={{ marginBottom: 12 }} />}
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onValuesChange={() => setFormError(null)}
        onFinish={(v) => {
          const text = (v[field] ?? '').trim();
          decide.mutate(
            approve
              ? { residentId: c.residentId, categoryId: c.id, approve: true, note: text }
              : { residentId: c.residentId, categoryId: c.id, approve: false, reason: text },
            {
              onSuccess: () => {
                void message.success(t(approve ? 'approvals.approved' : 'approvals.rejected'));
                onClose();
              },
              onError: (e) => setFormError(showFormError(form, e, t)),
            },
          );
        }}
        data-testid="approval-form"
      >
        <Form.Item
          name={field}
          label={t(approve ? 'approvals.note' : 'approvals.reason')}
          extra={approve ? t('approvals.noteHint') : undefined}
          rules={rules(approve ? ApproveCategoryRequest.shape.note : RejectCategoryRequest.shape.reason, field)}
        >
          <Input.TextArea rows={2} maxLength={200} data-testid="approval-text" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
