import { SearchOutlined, UserAddOutlined } from '@ant-design/icons';
import { Button, Checkbox, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { ResidentExportQuery } from '@yishi/shared/schemas';
import { useTranslation } from 'react-i18next';
import { ListExportButtons } from '../../components/ListExportButtons';
import { useSearchParams } from 'react-router';
import { useMe } from '../../api/auth';
import { useResidents, type ResidentSummary } from '../../api/residents';
import { ErrorResult } from '../../components/PageState';
import { useCanteenCtx } from '../../layout/canteenContext';
import { yuan } from '../../lib/format';
import { ResidentDrawer } from './ResidentDrawer';
import { ResidentCreateDrawer } from './ResidentForm';
import { canKeepResidents } from './residentFields';

const PAGE = 50;

export function ResidentsPage() {
  const { t } = useTranslation();
  const { canteen } = useCanteenCtx();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [q, setQ] = useState(text);
  const [onlyHome, setOnlyHome] = useState(false);
  const [page, setPage] = useState(1);
  const openId = params.get('resident');
  const canEdit = canKeepResidents(useMe().data);
  const [creating, setCreating] = useState(false);

  // Search as the operator types, without a request per keystroke.
  useEffect(() => {
    const id = setTimeout(() => {
      setQ(text.trim());
      setPage(1);
    }, 300);
    return () => clearTimeout(id);
  }, [text]);

  const residents = useResidents({ q: q || undefined, canteenId: onlyHome ? canteen.id : undefined, limit: PAGE, offset: (page - 1) * PAGE });

  const open = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('resident', id);
    else next.delete('resident');
    setParams(next, { replace: !id });
  };

  const columns: ColumnsType<ResidentSummary> = [
    {
      title: t('residents.name'),
      render: (_v, r) => (
        <Space size={4}>
          <Typography.Link strong onClick={() => open(r.id)}>
            {r.name}
          </Typography.Link>
          <span className="muted">{t(`gender.${r.gender}`)}</span>
          {r.status !== 'active' && <Tag>{t(`residentStatus.${r.status}`)}</Tag>}
        </Space>
      ),
    },
    { title: t('residents.idNumber'), width: 190, render: (_v, r) => <span className="mono">{r.idNumberMasked}</span> },
    { title: t('residents.phone'), width: 130, render: (_v, r) => <span className="mono">{r.phoneMasked ?? '—'}</span> },
    { title: t('residents.age'), dataIndex: 'age', width: 60, align: 'right' },
    { title: t('residents.hukou'), width: 140, render: (_v, r) => r.hukouAreaName ?? <span className="muted">—</span> },
    {
      title: t('residents.categories'),
      render: (_v, r) =>
        r.categories.map((c) => (
          <Tag key={c} color="orange">
            {t(`categories.${c}`)}
          </Tag>
        )),
    },
    { title: t('residents.careLevel'), dataIndex: 'careLevel', width: 80, align: 'right' },
    {
      title: t('residents.balance'),
      width: 100,
      align: 'right',
      render: (_v, r) => <span className={r.balanceFen < 0 ? 'negative' : ''}>{yuan(r.balanceFen)}</span>,
    },
  ];

  return (
    <div className="page">
      <div className="toolbar">
        <Space wrap>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('residents.title')}
          </Typography.Title>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onPressEnter={() => {
              setQ(text.trim());
              setPage(1);
            }}
            placeholder={t('residents.search')}
            aria-label={t('residents.search')}
            style={{ width: 340 }}
            data-testid="resident-search"
            maxLength={50}
          />
          <Checkbox
            checked={onlyHome}
            onChange={(e) => {
              setOnlyHome(e.target.checked);
              setPage(1);
            }}
          >
            {t('residents.onlyHome')}
          </Checkbox>
        </Space>
        <Space>
          <Typography.Text type="secondary">{residents.data ? t('common.total', { count: residents.data.total }) : ''}</Typography.Text>
          <ListExportButtons
            name="residents"
            path="/residents/export"
            request={ResidentExportQuery}
            query={{ q: q || undefined, canteenId: onlyHome ? canteen.id : undefined }}
          />
          {canEdit && (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setCreating(true)} data-testid="resident-create">
              {t('residentForm.create')}
            </Button>
          )}
        </Space>
      </div>
      {residents.isError && !residents.data ? (
        <ErrorResult error={residents.error} onRetry={() => void residents.refetch()} />
      ) : (
        <Table<ResidentSummary>
          data-testid="residents-table"
          rowKey="id"
          size="small"
          loading={residents.isFetching}
          columns={columns}
          dataSource={residents.data?.items ?? []}
          pagination={{ current: page, pageSize: PAGE, total: residents.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          onRow={(r) =>
            ({ 'data-testid': `resident-row-${r.id}`, onClick: () => open(r.id), style: { cursor: 'pointer' } }) as HTMLAttributes<HTMLTableRowElement>
          }
        />
      )}
      <ResidentDrawer id={openId} onClose={() => open(null)} />
      {canEdit && (
        <ResidentCreateDrawer
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(r) => {
            setCreating(false);
            open(r.id);
          }}
          onFindExisting={(last4) => {
            setCreating(false);
            setText(last4);
            setQ(last4);
            setOnlyHome(false);
            setPage(1);
          }}
        />
      )}
    </div>
  );
}
