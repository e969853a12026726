import { MEAL_PERIODS, SUPPLY_MODES } from '@yishi/shared/domain';
import { PAYS_TYPES } from '@yishi/shared/policy';
import { Alert, Card, Checkbox, Col, Form, Row, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { getAt, int, isRecord, pathKey, setAt, str, strList, type Path } from './doc';
import { FieldItem, IntField, TextField, YuanField, type FieldIssues } from './fields';

export interface EditorProps {
  doc: unknown;
  onChange: (doc: unknown) => void;
  issues: FieldIssues;
  onBad: (path: string, bad: boolean) => void;
}

const HUKOU = ['any', 'issuer_area', 'city'] as const;
const LIMIT_COUNTS = ['perMealPeriod', 'perDay', 'perWeek', 'perMonth'] as const;

/** A fresh `pays` of a type, with the amounts an author then changes. */
function paysTemplate(type: string): Record<string, unknown> {
  switch (type) {
    case 'fraction':
      return { type, numerator: 1, denominator: 4 };
    case 'percent_off':
      return { type, basisPoints: 2000 };
    case 'by_supply_mode':
      return { type, amounts: {} };
    case 'by_care_level':
      return { type, amounts: [{ minLevel: 1, maxLevel: 5, amountFen: 0 }] };
    default:
      return { type, amountFen: 0 };
  }
}

/**
 * The document paths the structured editor shows as fields, so the page knows which validation issues
 * appear next to a field and which go in the list.
 */
export function editorFieldPaths(doc: unknown): string[] {
  const out = ['name', 'effectiveFrom', 'effectiveTo'];
  const layers = getAt(doc, ['layers']);
  if (!Array.isArray(layers)) return out;
  layers.forEach((layer, i) => {
    const l = (f: string) => `layers.${i}.${f}`;
    out.push(l('name'), l('payer'), l('who.hukou'), l('who.minAge'), l('who.maxAge'), l('when.mealPeriods'));
    for (const k of LIMIT_COUNTS) out.push(l(`limits.${k}`));
    out.push(l('limits.minMealPriceFen'), l('limits.budgetFen'));
    const pays = getAt(layer, ['pays']);
    if (!isRecord(pays)) return;
    out.push(l('pays.type'));
    switch (pays.type) {
      case 'fraction':
        out.push(l('pays.numerator'), l('pays.denominator'), l('pays.capFen'));
        break;
      case 'percent_off':
        out.push(l('pays.basisPoints'));
        break;
      case 'by_supply_mode':
        for (const m of SUPPLY_MODES) out.push(l(`pays.amounts.${m}`));
        break;
      case 'fixed':
      case 'elder_pays_at_most':
      case 'actual_spend_up_to':
        out.push(l('pays.amountFen'));
        break;
    }
  });
  return out;
}

function LayerEditor({ doc, onChange, issues, onBad, index }: EditorProps & { index: number }) {
  const { t } = useTranslation();
  const base: Path = ['layers', index];
  const at = (...p: (string | number)[]) => getAt(doc, [...base, ...p]);
  const set = (p: (string | number)[], v: unknown) => onChange(setAt(doc, [...base, ...p], v));
  const key = (...p: (string | number)[]) => pathKey([...base, ...p]);
  const tid = (name: string) => `policy-field-layer-${index}-${name}`;
  const common = { issues, onBad };
  const kind = str(at('kind'));
  const pays = at('pays');
  const tiers = at('tiers');
  const payType = isRecord(pays) ? str(pays.type) : undefined;
  const mealPeriods = strList(at('when', 'mealPeriods'));

  const paysFields = () => {
    if (Array.isArray(tiers)) return <Alert type="info" showIcon title={t('policy.editor.tiersNote', { count: tiers.length })} />;
    if (!isRecord(pays)) return <Alert type="warning" showIcon title={t('policy.editor.unknownPays')} />;
    const amountLabel =
      payType === 'elder_pays_at_most'
        ? t('policy.editor.elderPaysAtMost')
        : payType === 'actual_spend_up_to'
          ? t('policy.editor.spendUpTo')
          : t('policy.editor.amount');
    return (
      <Space wrap size={16} align="start">
        <FieldItem label={t('policy.editor.paysType')} path={key('pays', 'type')} issues={issues} maxWidth={220}>
          <div data-testid={tid('paysType')}>
            <Select
              style={{ width: 180 }}
              value={payType}
              onChange={(v: string) => set(['pays'], paysTemplate(v))}
              options={PAYS_TYPES.filter((p) => kind === 'meal' || p !== 'elder_pays_at_most').map((p) => ({ value: p, label: t(`policy.paysTypes.${p}`) }))}
            />
          </div>
        </FieldItem>
        {payType === 'fraction' && (
          <>
            <IntField
              {...common}
              label={t('policy.editor.numerator')}
              path={key('pays', 'numerator')}
              testId={tid('numerator')}
              value={int(pays.numerator)}
              onChange={(v) => set(['pays', 'numerator'], v)}
              width={80}
            />
            <span style={{ display: 'inline-block', paddingTop: 34 }}>/</span>
            <IntField
              {...common}
              label={t('policy.editor.denominator')}
              path={key('pays', 'denominator')}
              testId={tid('denominator')}
              value={int(pays.denominator)}
              onChange={(v) => set(['pays', 'denominator'], v)}
              width={80}
            />
            <YuanField
              {...common}
              optional
              label={t('policy.editor.cap')}
              path={key('pays', 'capFen')}
              testId={tid('capYuan')}
              value={int(pays.capFen)}
              onChange={(v) => set(['pays', 'capFen'], v)}
              placeholder={t('policy.editor.noCap')}
            />
          </>
        )}
        {(payType === 'fixed' || payType === 'elder_pays_at_most' || payType === 'actual_spend_up_to') && (
          <YuanField
            {...common}
            label={amountLabel}
            path={key('pays', 'amountFen')}
            testId={tid('amountYuan')}
            value={int(pays.amountFen)}
            onChange={(v) => set(['pays', 'amountFen'], v)}
          />
        )}
        {payType === 'percent_off' && (
          <IntField
            {...common}
            label={t('policy.editor.basisPoints')}
            extra={t('policy.editor.basisPointsHint')}
            path={key('pays', 'basisPoints')}
            testId={tid('basisPoints')}
            value={int(pays.basisPoints)}
            onChange={(v) => set(['pays', 'basisPoints'], v)}
          />
        )}
        {payType === 'by_care_level' && <Alert type="info" showIcon title={t('policy.editor.careLevelNote')} style={{ marginTop: 30 }} />}
        {payType === 'by_supply_mode' && (
          <div>
            <div className="small muted" style={{ marginBottom: 4 }}>
              {t('policy.editor.supplyAmounts')} · {t('policy.editor.supplyHint')}
            </div>
            <Space wrap size={12}>
              {SUPPLY_MODES.map((m) => (
                <YuanField
                  key={m}
                  {...common}
                  optional
                  label={t(`supplyModes.${m}`)}
                  path={key('pays', 'amounts', m)}
                  testId={tid(`supply-${m}`)}
                  value={int(getAt(pays, ['amounts', m]))}
                  onChange={(v) => set(['pays', 'amounts', m], v)}
                  width={110}
                />
              ))}
            </Space>
          </div>
        )}
      </Space>
    );
  };

  return (
    <Card
      size="small"
      type="inner"
      data-testid={`policy-edit-layer-${index}`}
      title={
        <Space size={8}>
          <span>{t('policy.layerN', { n: index + 1 })}</span>
          {kind && <Tag color={kind === 'meal' ? 'green' : 'blue'}>{t(`policy.kinds.${kind}`, { defaultValue: kind })}</Tag>}
          <span className="muted small mono">{t('policy.editor.layerId', { id: str(at('id')) ?? '?' })}</span>
        </Space>
      }
      style={{ marginBottom: 12 }}
    >
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <TextField
            {...common}
            label={t('policy.editor.layerName')}
            path={key('name')}
            testId={tid('name')}
            value={str(at('name'))}
            onChange={(v) => set(['name'], v)}
          />
        </Col>
        <Col xs={24} md={14}>
          <TextField
            {...common}
            label={t('policy.editor.layerPayer')}
            path={key('payer')}
            testId={tid('payer')}
            value={str(at('payer'))}
            onChange={(v) => set(['payer'], v)}
          />
        </Col>
      </Row>
      <div className="policy-section-label">{t('policy.editor.pays')}</div>
      {paysFields()}
      <div className="policy-section-label">
        {t('policy.editor.who')} · {t('policy.editor.when')}
      </div>
      <Space wrap size={16} align="start">
        <FieldItem label={t('policy.editor.hukou')} path={key('who', 'hukou')} issues={issues} maxWidth={220}>
          <div data-testid={tid('hukou')}>
            <Select
              style={{ width: 170 }}
              value={str(at('who', 'hukou')) ?? 'any'}
              onChange={(v: string) => set(['who', 'hukou'], v)}
              options={HUKOU.map((h) => ({ value: h, label: t(`policy.hukouScopes.${h}`) }))}
            />
          </div>
        </FieldItem>
        <IntField
          {...common}
          optional
          label={t('policy.editor.minAge')}
          path={key('who', 'minAge')}
          testId={tid('minAge')}
          value={int(at('who', 'minAge'))}
          onChange={(v) => set(['who', 'minAge'], v)}
          suffix={t('policy.editor.years')}
        />
        <IntField
          {...common}
          optional
          label={t('policy.editor.maxAge')}
          path={key('who', 'maxAge')}
          testId={tid('maxAge')}
          value={int(at('who', 'maxAge'))}
          onChange={(v) => set(['who', 'maxAge'], v)}
          suffix={t('policy.editor.years')}
        />
        <FieldItem
          label={t('policy.editor.mealPeriods')}
          path={key('when', 'mealPeriods')}
          issues={issues}
          maxWidth={280}
          extra={mealPeriods === undefined ? t('policy.editor.allMeals') : undefined}
        >
          <Checkbox.Group
            data-testid={tid('mealPeriods')}
            value={mealPeriods ?? [...MEAL_PERIODS]}
            onChange={(v) =>
              set(
                ['when', 'mealPeriods'],
                MEAL_PERIODS.filter((m) => (v as string[]).includes(m)),
              )
            }
            options={MEAL_PERIODS.map((m) => ({ value: m, label: <span data-testid={tid(`meal-${m}`)}>{t(`mealPeriods.${m}`)}</span> }))}
          />
        </FieldItem>
      </Space>
      <div className="policy-section-label">{t('policy.editor.limits')}</div>
      <Space wrap size={12} align="start">
        {LIMIT_COUNTS.map((k) => (
          <IntField
            key={k}
            {...common}
            optional={k !== 'perMealPeriod'}
            label={t(`policy.editor.${k}`)}
            path={key('limits', k)}
            testId={tid(k)}
            value={int(at('limits', k)) ?? (k === 'perMealPeriod' ? 1 : undefined)}
            onChange={(v) => set(['limits', k], v)}
            placeholder={t('policy.editor.blankUnlimited')}
            suffix={t('policy.editor.times')}
            width={120}
          />
        ))}
        <YuanField
          {...common}
          optional
          label={t('policy.editor.minPrice')}
          path={key('limits', 'minMealPriceFen')}
          testId={tid('minPriceYuan')}
          value={int(at('limits', 'minMealPriceFen'))}
          onChange={(v) => set(['limits', 'minMealPriceFen'], v)}
        />
        <YuanField
          {...common}
          optional
          label={t('policy.editor.budget')}
          path={key('limits', 'budgetFen')}
          testId={tid('budgetYuan')}
          value={int(at('limits', 'budgetFen'))}
          onChange={(v) => set(['limits', 'budgetFen'], v)}
          placeholder={t('policy.editor.blankUnlimited')}
          width={160}
        />
      </Space>
    </Card>
  );
}

/** Common fields of the document and of each layer; everything else is in the JSON tab. */
export function StructuredEditor(props: EditorProps) {
  const { t } = useTranslation();
  const { doc, onChange, issues, onBad } = props;
  const common = { issues, onBad };
  const layers = getAt(doc, ['layers']);
  return (
    <Form layout="vertical" component="div">
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <TextField
            {...common}
            label={t('policy.editor.policyName')}
            path="name"
            testId="policy-field-name"
            value={str(getAt(doc, ['name']))}
            onChange={(v) => onChange(setAt(doc, ['name'], v))}
          />
        </Col>
        <Col xs={12} lg={6}>
          <TextField
            {...common}
            label={t('policy.editor.effectiveFrom')}
            path="effectiveFrom"
            testId="policy-field-effectiveFrom"
            placeholder="YYYY-MM-DD"
            value={str(getAt(doc, ['effectiveFrom']))}
            onChange={(v) => onChange(setAt(doc, ['effectiveFrom'], v.trim()))}
            extra={t('policy.editor.effectiveFromHint')}
          />
        </Col>
        <Col xs={12} lg={6}>
          <TextField
            {...common}
            label={t('policy.editor.effectiveTo')}
            path="effectiveTo"
            testId="policy-field-effectiveTo"
            placeholder={t('policy.editor.effectiveToHint')}
            value={str(getAt(doc, ['effectiveTo']))}
            onChange={(v) => onChange(setAt(doc, ['effectiveTo'], v.trim() === '' ? null : v.trim()))}
          />
        </Col>
      </Row>
      {Array.isArray(layers) ? (
        layers.map((_l, i) => <LayerEditor key={i} {...props} index={i} />)
      ) : (
        <Alert type="warning" showIcon title={t('policy.editor.noLayers')} />
      )}
      <Typography.Paragraph type="secondary" className="small">
        {t('policy.editor.moreInJson')}
      </Typography.Paragraph>
    </Form>
  );
}
