import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { MEAL_PERIODS, type MealPeriod } from '@yishi/shared/domain';
import { CreateFoodSampleRequest, FOOD_SAMPLE_MIN_GRAMS, FOOD_SAMPLE_MIN_HOURS } from '@yishi/shared/schemas';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { useRecordSample, useSamples, type FoodSample } from '../../api/operations';
import { ErrorResult } from '../../components/PageState';
import { useCanteenCtx } from '../../layout/canteenContext';
import { clientId, fmtDateTime } from '../../lib/format';
import { rulesFor, showFormError } from '../../lib/forms';

interface SampleForm {
  date: Dayjs;
  mealPeriod: MealPeriod;
  dishName: string;
  weightGrams: number;
  keepHours: number;
  storedBy: string;
  note?: string;
}

export function SamplesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = rulesFor(t);
  const { canteen, today, period, canOperate } = useCanteenCtx();
  const me = useMe().data;
  const from = dayjs(today).subtract(13, 'day').format('YYYY-MM-DD');
  const samples = useSamples(canteen.id, from, today);
  const record = useRecordSample(canteen.id);
  const [form] = Form.useForm<SampleForm>();
  const shape = CreateFoodSampleRequest.shape;

  const submit = async (v: SampleForm) => {
    try {
      await record.mutateAsync({
        id: clientId(),
        serviceDate: v.date.format('YYYY-MM-DD'),
        mealPeriod: v.mealPeriod,
        dishName: v.dishName,
        weightGrams: v.weightGrams,
        keepHours: v.keepHours,
        storedBy: v.storedBy,
        note: v.note?.trim() ? v.note.trim() : null,
      });
      message.success(t('samples.saved'));
      form.setFieldsValue({ dishName: '', note: '' });
    } catch (e) {
      const text = showFormError(form, e, t);
      message.error(text);
    }
  };

  if (samples.isError && !samples.data) return <ErrorResult error={samples.error} onRetry={() => void samples.refetch()} />;
  const missing = samples.data?.missing ?? [];
  return (
    <div className="page">
      <div className="toolbar">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('samples.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('samples.rules')}</Typography.Text>
      </div>
      {samples.data &&
        (missing.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            data-testid="samples-missing"
            style={{ marginBottom: 16 }}
            title={t('samples.missing')}
            description={
              <Space wrap>
                {missing.map((m) => (
                  <Tag key={`${m.serviceDate}|${m.mealPeriod}`} color="gold">
                    {t('samples.missingItem', { date: m.serviceDate, period: t(`mealPeriods.${m.mealPeriod}`), count: m.orders })}
                  </Tag>
                ))}
              </Space>
            }
          />
        ) : (
          <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('samples.allKept')} />
        ))}
      {canOperate && (
        <Card size="small" title={t('samples.add')} style={{ marginBottom: 16 }}>
          <Form<SampleForm>
            form={form}
            layout="inline"
            className="sample-form"
            data-testid="sample-form"
            initialValues={{
              date: dayjs(today),
              mealPeriod: period ?? 'lunch',
              weightGrams: FOOD_SAMPLE_MIN_GRAMS,
              keepHours: FOOD_SAMPLE_MIN_HOURS,
              storedBy: me?.displayName ?? '',
            }}
            onFinish={(v) => void submit(v)}
          >
            <Form.Item name="date" label={t('samples.date')} rules={[{ required: true, message: t('validation.required') }]}>
              <DatePicker allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') > today} />
            </Form.Item>
            <Form.Item name="mealPeriod" label={t('samples.meal')}>
              <Select style={{ width: 96 }} options={MEAL_PERIODS.map((p) => ({ value: p, label: t(`mealPeriods.${p}`) }))} />
            </Form.Item>
            <Form.Item name="dishName" label={t('samples.dish')} rules={rules(shape.dishName, 'dishName')}>
              <Input style={{ width: 160 }} maxLength={60} data-testid="sample-dish" />
            </Form.Item>
            <Form.Item name="weightGrams" label={t('samples.weight')} rules={rules(shape.weightGrams, 'weightGrams')}>
              <InputNumber<number> style={{ width: 100 }} data-testid="sample-weight" />
            </Form.Item>
            <Form.Item name="keepHours" label={t('samples.keepHours')} rules={rules(shape.keepHours, 'keepHours')}>
              <InputNumber<number> style={{ width: 90 }} />
            </Form.Item>
            <Form.Item name="storedBy" label={t('samples.storedBy')} rules={rules(shape.storedBy, 'storedBy')}>
              <Input style={{ width: 120 }} maxLength={40} />
            </Form.Item>
            <Form.Item name="note" label={t('samples.note')}>
              <Input style={{ width: 180 }} maxLength={200} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={record.isPending} data-testid="sample-submit">
                {t('samples.add')}
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
      <Table<FoodSample>
        size="small"
        rowKey="id"
        data-testid="samples-table"
        loading={samples.isPending}
        dataSource={(samples.data?.items ?? []).slice().reverse()}
        locale={{ emptyText: t('samples.empty') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('samples.date'), dataIndex: 'serviceDate', width: 110 },
          { title: t('samples.meal'), dataIndex: 'mealPeriod', width: 70, render: (p: MealPeriod) => t(`mealPeriods.${p}`) },
          { title: t('samples.dish'), dataIndex: 'dishName' },
          { title: t('samples.weight'), dataIndex: 'weightGrams', align: 'right', width: 90 },
          { title: t('samples.storedAt'), dataIndex: 'storedAt', width: 150, render: (v: string) => fmtDateTime(v) },
          { title: t('samples.discardAfter'), dataIndex: 'discardAfter', width: 150, render: (v: string) => fmtDateTime(v) },
          { title: t('samples.storedBy'), dataIndex: 'storedBy', width: 100 },
          { title: t('samples.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
        ]}
      />
    </div>
  );
}
