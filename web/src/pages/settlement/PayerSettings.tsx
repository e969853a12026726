import { SettingOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CLAIM_CADENCES, type ClaimCadence } from '@yishi/shared/domain';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePayerSettings, useSetPayerCadence, type PayerSetting } from '../../api/settlement';
import { errorText } from '../../lib/errors';
import { usePolicyWords } from '../../lib/policyNames';

interface Draft {
  cadence: ClaimCadence;
  from: Dayjs;
}

/** How each payer is claimed: monthly by default, quarterly from the first month of a quarter (district and city staff decide theirs). */
export function PayerSettings({ month }: { month: string }) {
  const { t } = useTranslation();
  const words = usePolicyWords();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const payers = usePayerSettings(month, open);
  const save = useSetPayerCadence();
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});

  const draftOf = (p: PayerSetting): Draft => drafts[p.payer] ?? { cadence: p.cadence, from: dayjs(`${month}-01`) };
  const put = (payer: string, d: Draft) => setDrafts((all) => ({ ...all, [payer]: d }));

  const columns: ColumnsType<PayerSetting> = [
    { title: t('claims.payer'), render: (_v, p) => words.payer(p.payer) },
    { title: t('claims.cadence'), width: 90, render: (_v, p) => <Tag>{t(`claims.cadences.${p.cadence}`)}</Tag> },
    {
      title: t('claims.changeCadence'),
      width: 380,
      render: (_v, p) => {
        if (!p.canEdit) return <span className="muted small">{t('claims.cadenceNotYours')}</span>;
        const d = draftOf(p);
        return (
          <Space>
            <Select<ClaimCadence>
              style={{ width: 90 }}
              value={d.cadence}
              aria-label={t('claims.cadence')}
              onChange={(cadence) => put(p.payer, { ...d, cadence })}
              options={CLAIM_CADENCES.map((c) => ({ value: c, label: t(`claims.cadences.${c}`) }))}
            />
            <DatePicker
              picker="month"
              allowClear={false}
              value={d.from}
              format="YYYY-MM"
              aria-label={t('claims.cadenceFrom')}
              onChange={(from) => from && put(p.payer, { ...d, from })}
              disabledDate={(m) => d.cadence === 'quarter' && m.month() % 3 !== 0}
            />
            <Button
              size="small"
              type="primary"
              loading={save.isPending && save.variables?.payer === p.payer}
              onClick={() =>
                save.mutate(
                  { payer: p.payer, cadence: d.cadence, fromMonth: d.from.format('YYYY-MM') },
                  { onSuccess: () => message.success(t('common.saved')), onError: (e) => message.error(errorText(t, e)) },
                )
              }
            >
              {t('common.save')}
            </Button>
          </Space>
        );
      },
    },
  ];

  return (
    <>
      <Button icon={<SettingOutlined />} onClick={() => setOpen(true)} data-testid="claims-payers">
        {t('claims.cadenceSettings')}
      </Button>
      <Modal open={open} title={t('claims.cadenceSettings')} footer={null} width={820} onCancel={() => setOpen(false)} destroyOnHidden>
        <Typography.Paragraph type="secondary">{t('claims.cadenceHint')}</Typography.Paragraph>
        <Table<PayerSetting>
          data-testid="payer-settings"
          rowKey="payer"
          size="small"
          loading={payers.isFetching}
          columns={columns}
          dataSource={payers.data ?? []}
          pagination={false}
        />
      </Modal>
    </>
  );
}
