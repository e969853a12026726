/**
 * The structured editor of a policy document: every field of docs/policy.md as a control, no JSON needed. Money in
 * yuan (kept as integer fen), percentages as percentages (kept as basis points), every default shown as chosen
 * ("不限户籍（默认）", "每个餐次1次（默认）", "仅限登记的长者（默认）") rather than silently applied. Layers and tiers
 * can be added, removed and moved. Problems show on their field (the page maps the schema's issues by path).
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { DISABILITY_LEVELS, FULFILMENTS, MEAL_PERIODS, RESIDENT_CATEGORIES, SUPPLY_MODES } from '@yishi/shared/domain';
import { formatYuan } from '@yishi/shared/money';
import { BASE_DISH_TAG_LABELS, MEAL_ONLY_PAYS_TYPES, MEET_ABOVE, MEET_BELOW, PAYS_TYPE_LABELS, PAYS_TYPES } from '@yishi/shared/policy';
import { Alert, Button, Card, Checkbox, Col, DatePicker, Dropdown, Form, Radio, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { getAt, int, isRecord, pathKey, setAt, str, strList, type Path } from './doc';
import { DateField, FieldItem, IntField, PercentField, TextField, useFields, YuanField } from './fields';

type Lang = 'zh' | 'en';
type Change = (doc: unknown) => void;

export interface EditorProps {
  doc: unknown;
  onChange: Change;
  /** Canteens of the policy's area (for "only at named canteens"). */
  canteens: { id: string; name: string }[];
  /** The issuing area's name ("天河区"), for the words of the scopes. */
  areaName: string | null;
}

const LIMIT_COUNTS = ['perMealPeriod', 'perDay', 'perWeek', 'perMonth'] as const;
const HUKOU_SCOPES = ['any', 'issuer_area', 'city'] as const;
const WHERE = ['issuer_area', 'any', 'own_district', 'own_street'] as const;
const HOME = ['hukou', 'residence', 'hukou_or_residence'] as const;
const KINDS = ['meal', 'delivery', 'operating'] as const;
const CARE_LEVELS = [0, 1, 2, 3, 4, 5];
const DISABILITY_GRADES = [1, 2, 3, 4];

function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language.startsWith('en') ? 'en' : 'zh';
}

/** A fresh `pays` of a type, with amounts the author then sets. */
export function paysTemplate(type: string): Record<string, unknown> {
  switch (type) {
    case 'fraction':
      return { type, numerator: 1, denominator: 4 };
    case 'percent_off':
      return { type, basisPoints: 2000 };
    case 'by_supply_mode':
      return { type, amounts: {} };
    case 'by_care_level':
      return { type, amounts: [{ minLevel: 1, maxLevel: 2, amountFen: 200 }] };
    case 'amount_and_elder_cap':
      return { type, amountFen: 500, elderPaysAtMostFen: 300, belowMeet: 'elder_pays_less', aboveMeet: 'layer_pays_more' };
    default:
      return { type, amountFen: 0 };
  }
}

/** A new layer of a kind, with every default written out. */
export function layerTemplate(kind: string, id: string, payer: string, name: string): Record<string, unknown> {
  return {
    id,
    name,
    payer,
    kind,
    who: { hukou: 'issuer_area', minAge: 60, requireRegistered: true },
    pays: { type: 'fixed', amountFen: 0 },
    when:
      kind === 'delivery'
        ? { mealPeriods: ['lunch', 'dinner'], workingDaysOnly: false, fulfilment: ['delivery'] }
        : { mealPeriods: ['lunch', 'dinner'], workingDaysOnly: false },
    where: 'issuer_area',
    home: 'hukou',
    limits: { perMealPeriod: 1 },
  };
}

/** A slug id not used by another layer: meal, meal-2, … */
function freshId(doc: unknown, stem: string): string {
  const used = new Set((asList(getAt(doc, ['layers'])) ?? []).map((l) => str(getAt(l, ['id']))));
  let n = 1;
  while (used.has(n === 1 ? stem : `${stem}-${n}`)) n += 1;
  return n === 1 ? stem : `${stem}-${n}`;
}

const asList = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

/** "basic set meal" → "basic_set_meal" (a code for a declared tag, from its English name). */
export function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
}

/**
 * Every document path the editor shows as a field, so each problem the schema finds lands on its field (the
 * longest path it lies under). Mirrors the components below.
 */
export function fieldPathsOf(doc: unknown): string[] {
  const out = [
    '',
    'name',
    'areaCode',
    'level',
    'effectiveFrom',
    'effectiveTo',
    'calendar',
    'calendar.holidays',
    'calendar.adjustedWorkingDays',
    'dishTags',
    'layers',
  ];
  (asList(getAt(doc, ['dishTags'])) ?? []).forEach((_t, i) => out.push(`dishTags.${i}`, `dishTags.${i}.code`, `dishTags.${i}.zh`, `dishTags.${i}.en`));
  const whoPaths = (p: string, layerLevel: boolean) => {
    out.push(p, `${p}.hukou`, `${p}.residence`, `${p}.hukouOrResidence`, `${p}.minAge`, `${p}.maxAge`, `${p}.categoriesAny`, `${p}.categoriesNone`);
    out.push(`${p}.careLevels`, `${p}.disabilityGrades`, `${p}.disabilityLevels`);
    if (layerLevel) out.push(`${p}.requireRegistered`);
  };
  const paysPaths = (p: string, pays: unknown) => {
    out.push(p, `${p}.type`);
    if (!isRecord(pays)) return;
    for (const k of ['amountFen', 'numerator', 'denominator', 'capFen', 'basisPoints', 'elderPaysAtMostFen', 'belowMeet', 'aboveMeet', 'amounts'])
      out.push(`${p}.${k}`);
    if (pays.type === 'by_supply_mode') for (const m of SUPPLY_MODES) out.push(`${p}.amounts.${m}`);
    if (pays.type === 'by_care_level')
      (asList(pays.amounts) ?? []).forEach((_b, i) =>
        out.push(`${p}.amounts.${i}`, `${p}.amounts.${i}.minLevel`, `${p}.amounts.${i}.maxLevel`, `${p}.amounts.${i}.amountFen`),
      );
  };
  (asList(getAt(doc, ['layers'])) ?? []).forEach((layer, i) => {
    const l = `layers.${i}`;
    out.push(
      l,
      `${l}.id`,
      `${l}.name`,
      `${l}.nameEn`,
      `${l}.payer`,
      `${l}.payerEn`,
      `${l}.kind`,
      `${l}.where`,
      `${l}.home`,
      `${l}.canteens`,
      `${l}.replaces`,
      `${l}.tiers`,
    );
    whoPaths(`${l}.who`, true);
    paysPaths(`${l}.pays`, getAt(layer, ['pays']));
    (asList(getAt(layer, ['tiers'])) ?? []).forEach((tier, j) => {
      out.push(`${l}.tiers.${j}`, `${l}.tiers.${j}.label`);
      whoPaths(`${l}.tiers.${j}.who`, false);
      paysPaths(`${l}.tiers.${j}.pays`, getAt(tier, ['pays']));
    });
    out.push(`${l}.when`, `${l}.when.mealPeriods`, `${l}.when.workingDaysOnly`, `${l}.when.validFrom`, `${l}.when.validTo`, `${l}.when.fulfilment`);
    out.push(`${l}.when.dishTagsAny`, `${l}.when.dishTagsNone`);
    out.push(`${l}.limits`, `${l}.limits.allowance`, `${l}.limits.allowance.period`, `${l}.limits.allowance.amountFen`, `${l}.limits.allowance.pool`);
    for (const k of [...LIMIT_COUNTS, 'minMealPriceFen', 'budgetFen']) out.push(`${l}.limits.${k}`);
  });
  return out;
}

// ───────────── small pieces ─────────────

/** A select of one value, labelled, showing its issues; the default value is marked as such. */
function SelectField<V extends string>({
  label,
  path,
  testId,
  value,
  fallback,
  options,
  onChange,
  width = 220,
  extra,
}: {
  label: ReactNode;
  path: string;
  testId: string;
  value: V | undefined;
  /** What applies when the field is absent (shown selected, marked 默认). */
  fallback?: V;
  options: { value: V; label: string }[];
  onChange: (v: V) => void;
  width?: number;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const { readOnly } = useFields();
  return (
    <FieldItem label={label} path={path} htmlFor={testId} extra={extra} maxWidth={Math.max(width, 200)}>
      <Select<V>
        id={testId}
        data-testid={testId}
        style={{ width }}
        disabled={readOnly}
        value={value ?? fallback}
        onChange={onChange}
        options={options.map((o) => ({ value: o.value, label: o.value === fallback ? `${o.label}${t('policy.editor.defaultMark')}` : o.label }))}
      />
    </FieldItem>
  );
}

/** A multi-select (categories, tags, layers, canteens): an empty choice removes the field. */
function MultiField({
  label,
  path,
  testId,
  value,
  options,
  onChange,
  placeholder,
  width = 320,
  extra,
}: {
  label: ReactNode;
  path: string;
  testId: string;
  value: string[] | undefined;
  options: { value: string; label: string }[];
  onChange: (v: string[] | undefined) => void;
  placeholder?: string;
  width?: number;
  extra?: ReactNode;
}) {
  const { readOnly } = useFields();
  return (
    <FieldItem label={label} path={path} htmlFor={testId} extra={extra} maxWidth={Math.max(width, 200)}>
      <Select<string[]>
        id={testId}
        data-testid={testId}
        mode="multiple"
        allowClear
        disabled={readOnly}
        style={{ width }}
        value={value ?? []}
        placeholder={placeholder}
        onChange={(v) => onChange(v.length ? v : undefined)}
        options={options}
        optionFilterProp="label"
      />
    </FieldItem>
  );
}

/** Checkboxes over a list; nothing chosen and `absentMeansAll` shows every box ticked (the field absent). */
function ChecksField<V extends string | number>({
  label,
  path,
  testId,
  value,
  all,
  labelOf,
  onChange,
  absentHint,
}: {
  label: ReactNode;
  path: string;
  testId: string;
  value: V[] | undefined;
  all: readonly V[];
  labelOf: (v: V) => string;
  onChange: (v: V[] | undefined) => void;
  /** Shown when the field is absent (e.g. "未限定：全部餐次"). */
  absentHint?: string;
}) {
  const { readOnly } = useFields();
  return (
    <FieldItem label={label} path={path} extra={value === undefined ? absentHint : undefined}>
      <Checkbox.Group<V>
        data-testid={testId}
        disabled={readOnly}
        value={value ?? (absentHint ? [...all] : [])}
        onChange={(v) => onChange(all.filter((x) => v.includes(x)))}
        options={all.map((x) => ({ value: x, label: <span data-testid={`${testId}-${x}`}>{labelOf(x)}</span> }))}
      />
    </FieldItem>
  );
}

/** Problems about a whole object (a layer, the document): shown only when there are some. */
function PathIssues({ path }: { path: string }) {
  const { issues } = useFields();
  const list = issues.get(path);
  if (!list?.length) return null;
  return <Alert type="error" showIcon style={{ marginBottom: 8 }} title={<span data-testid={`issue-${path || 'document'}`}>{list.join('；')}</span>} />;
}

function SectionLabel({ children }: { children: ReactNode }) {
  return <div className="policy-section-label">{children}</div>;
}

/** Up / down / remove for an item of a list (layers, tiers, bands, tags). */
function ItemButtons({
  index,
  count,
  onMove,
  onRemove,
  testId,
  what,
}: {
  index: number;
  count: number;
  onMove: (to: number) => void;
  onRemove: () => void;
  testId: string;
  what: string;
}) {
  const { t } = useTranslation();
  const { readOnly } = useFields();
  if (readOnly) return null;
  return (
    <Space size={4}>
      <Button
        size="small"
        icon={<ArrowUpOutlined />}
        disabled={index === 0}
        onClick={() => onMove(index - 1)}
        aria-label={t('policy.editor.moveUp', { what })}
        data-testid={`${testId}-up`}
      />
      <Button
        size="small"
        icon={<ArrowDownOutlined />}
        disabled={index === count - 1}
        onClick={() => onMove(index + 1)}
        aria-label={t('policy.editor.moveDown', { what })}
        data-testid={`${testId}-down`}
      />
      <Button
        size="small"
        danger
        icon={<DeleteOutlined />}
        disabled={count <= 1 && what === t('policy.editor.layer')}
        onClick={onRemove}
        aria-label={t('policy.editor.remove', { what })}
        data-testid={`${testId}-remove`}
      />
    </Space>
  );
}

function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

// ───────────── who ─────────────

function WhoEditor({
  doc,
  onChange,
  base,
  tid,
  layerLevel,
  areaName,
}: {
  doc: unknown;
  onChange: Change;
  base: Path;
  tid: string;
  layerLevel: boolean;
  areaName: string | null;
}) {
  const { t } = useTranslation();
  const at = (k: string) => getAt(doc, [...base, k]);
  const set = (k: string, v: unknown) => onChange(setAt(doc, [...base, k], v));
  const key = (k: string) => pathKey([...base, k]);
  const area = areaName ?? t('policy.editor.thisArea');
  const hukou = str(at('hukou')) as (typeof HUKOU_SCOPES)[number] | undefined;
  const residence = str(at('residence')) as (typeof HUKOU_SCOPES)[number] | undefined;
  const both = hukou !== undefined && hukou !== 'any' && residence !== undefined && residence !== 'any';
  const { readOnly } = useFields();
  return (
    <>
      <Space wrap size={16} align="start">
        <SelectField
          label={t('policy.editor.hukou')}
          path={key('hukou')}
          testId={`${tid}-hukou`}
          value={hukou}
          fallback="any"
          onChange={(v) => set('hukou', v)}
          options={HUKOU_SCOPES.map((h) => ({ value: h, label: t(`policy.hukouScopes.${h}`, { area }) }))}
        />
        <SelectField
          label={t('policy.editor.residence')}
          path={key('residence')}
          testId={`${tid}-residence`}
          value={residence}
          fallback="any"
          onChange={(v) =>
            onChange(
              setAt(
                setAt(doc, [...base, 'residence'], v === 'any' ? undefined : v),
                [...base, 'hukouOrResidence'],
                v === 'any' ? undefined : at('hukouOrResidence'),
              ),
            )
          }
          options={HUKOU_SCOPES.map((h) => ({ value: h, label: t(`policy.residenceScopes.${h}`, { area }) }))}
        />
        <FieldItem label={t('policy.editor.either')} path={key('hukouOrResidence')} extra={both ? undefined : t('policy.editor.eitherHint')}>
          <Checkbox
            data-testid={`${tid}-either`}
            disabled={readOnly || !both}
            checked={at('hukouOrResidence') === true}
            onChange={(e) => set('hukouOrResidence', e.target.checked ? true : undefined)}
          >
            {at('hukouOrResidence') === true ? t('policy.editor.eitherOn') : t('policy.editor.eitherOff')}
          </Checkbox>
        </FieldItem>
        <IntField
          optional
          label={t('policy.editor.minAge')}
          path={key('minAge')}
          testId={`${tid}-minAge`}
          value={int(at('minAge'))}
          onChange={(v) => set('minAge', v)}
          suffix={t('policy.editor.years')}
          placeholder={t('policy.editor.noLimit')}
        />
        <IntField
          optional
          label={t('policy.editor.maxAge')}
          path={key('maxAge')}
          testId={`${tid}-maxAge`}
          value={int(at('maxAge'))}
          onChange={(v) => set('maxAge', v)}
          suffix={t('policy.editor.years')}
          placeholder={t('policy.editor.noLimit')}
        />
        {layerLevel && (
          <FieldItem label={t('policy.editor.registered')} path={key('requireRegistered')}>
            <Checkbox
              data-testid={`${tid}-registered`}
              disabled={readOnly}
              checked={at('requireRegistered') !== false}
              onChange={(e) => set('requireRegistered', e.target.checked)}
            >
              {at('requireRegistered') === false
                ? t('policy.editor.everyone')
                : `${t('policy.editor.registeredOnly')}${at('requireRegistered') === undefined ? t('policy.editor.defaultMark') : ''}`}
            </Checkbox>
          </FieldItem>
        )}
      </Space>
      <Space wrap size={16} align="start">
        <MultiField
          label={t('policy.editor.categoriesAny')}
          path={key('categoriesAny')}
          testId={`${tid}-categoriesAny`}
          value={strList(at('categoriesAny'))}
          onChange={(v) => set('categoriesAny', v)}
          options={RESIDENT_CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))}
          placeholder={t('policy.editor.anyCategory')}
          width={260}
        />
        <MultiField
          label={t('policy.editor.categoriesNone')}
          path={key('categoriesNone')}
          testId={`${tid}-categoriesNone`}
          value={strList(at('categoriesNone'))}
          onChange={(v) => set('categoriesNone', v)}
          options={RESIDENT_CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))}
          placeholder={t('policy.editor.noneExcluded')}
          width={260}
        />
      </Space>
      <Space wrap size={16} align="start">
        <ChecksField<number>
          label={t('policy.editor.careLevels')}
          path={key('careLevels')}
          testId={`${tid}-careLevels`}
          value={asList(at('careLevels'))?.filter((x): x is number => typeof x === 'number')}
          all={CARE_LEVELS}
          labelOf={(l) => t('policy.editor.levelN', { n: l })}
          onChange={(v) => set('careLevels', v?.length ? v : undefined)}
        />
        <ChecksField<number>
          label={t('policy.editor.disabilityGrades')}
          path={key('disabilityGrades')}
          testId={`${tid}-disabilityGrades`}
          value={asList(at('disabilityGrades'))?.filter((x): x is number => typeof x === 'number')}
          all={DISABILITY_GRADES}
          labelOf={(g) => t(`disabilityGrades.${g}`)}
          onChange={(v) => set('disabilityGrades', v?.length ? v : undefined)}
        />
        <ChecksField<string>
          label={t('policy.editor.disabilityLevels')}
          path={key('disabilityLevels')}
          testId={`${tid}-disabilityLevels`}
          value={strList(at('disabilityLevels'))}
          all={DISABILITY_LEVELS}
          labelOf={(l) => t(`disability.${l}`)}
          onChange={(v) => set('disabilityLevels', v?.length ? v : undefined)}
        />
      </Space>
      <div className="small muted" style={{ marginTop: -6, marginBottom: 8 }}>
        {t('policy.editor.careHint')}
      </div>
    </>
  );
}

// ───────────── pays ─────────────

function PaysEditor({ doc, onChange, base, tid, kind }: { doc: unknown; onChange: Change; base: Path; tid: string; kind: string | undefined }) {
  const { t } = useTranslation();
  const lang = useLang();
  const pays = getAt(doc, base);
  const at = (...p: (string | number)[]) => getAt(doc, [...base, ...p]);
  const set = (p: (string | number)[], v: unknown) => onChange(setAt(doc, [...base, ...p], v));
  const key = (...p: (string | number)[]) => pathKey([...base, ...p]);
  const type = isRecord(pays) ? str(pays.type) : undefined;
  const { readOnly } = useFields();
  const types = PAYS_TYPES.filter((p) => kind === 'meal' || !(MEAL_ONLY_PAYS_TYPES as readonly string[]).includes(p));
  const bands = asList(at('amounts')) ?? [];
  const num = int(at('numerator'));
  const den = int(at('denominator'));
  return (
    <Space wrap size={16} align="start">
      <SelectField
        label={t('policy.editor.paysType')}
        path={key('type')}
        testId={`${tid}-paysType`}
        value={type}
        onChange={(v) => onChange(setAt(doc, base, paysTemplate(v)))}
        options={types.map((p) => ({ value: p, label: PAYS_TYPE_LABELS[lang][p] }))}
      />
      {(type === 'fixed' || type === 'elder_pays_at_most' || type === 'actual_spend_up_to') && (
        <YuanField
          label={
            type === 'elder_pays_at_most'
              ? t('policy.editor.elderPaysAtMost')
              : type === 'actual_spend_up_to'
                ? t('policy.editor.spendUpTo')
                : t('policy.editor.amount')
          }
          path={key('amountFen')}
          testId={`${tid}-amountYuan`}
          value={int(at('amountFen'))}
          onChange={(v) => set(['amountFen'], v)}
          extra={type === 'elder_pays_at_most' ? t('policy.editor.freeHint') : undefined}
        />
      )}
      {type === 'fraction' && (
        <>
          <IntField
            label={t('policy.editor.numerator')}
            path={key('numerator')}
            testId={`${tid}-numerator`}
            value={num}
            onChange={(v) => set(['numerator'], v)}
            width={80}
          />
          <span style={{ display: 'inline-block', paddingTop: 34 }}>/</span>
          <IntField
            label={t('policy.editor.denominator')}
            path={key('denominator')}
            testId={`${tid}-denominator`}
            value={den}
            onChange={(v) => set(['denominator'], v)}
            width={80}
            extra={num !== undefined && den ? t('policy.editor.fractionIs', { pct: ((num * 100) / den).toFixed((num * 100) % den === 0 ? 0 : 1) }) : undefined}
          />
          <YuanField
            optional
            label={t('policy.editor.cap')}
            path={key('capFen')}
            testId={`${tid}-capYuan`}
            value={int(at('capFen'))}
            onChange={(v) => set(['capFen'], v)}
            placeholder={t('policy.editor.noCap')}
          />
        </>
      )}
      {type === 'percent_off' && (
        <PercentField
          label={t('policy.editor.percent')}
          path={key('basisPoints')}
          testId={`${tid}-percent`}
          value={int(at('basisPoints'))}
          onChange={(v) => set(['basisPoints'], v)}
        />
      )}
      {type === 'by_supply_mode' && (
        <div>
          <div className="small muted" style={{ marginBottom: 4 }}>
            {t('policy.editor.supplyAmounts')} · {t('policy.editor.supplyHint')}
          </div>
          <Space wrap size={12}>
            {SUPPLY_MODES.map((m) => (
              <YuanField
                key={m}
                optional
                label={t(`supplyModes.${m}`)}
                path={key('amounts', m)}
                testId={`${tid}-supply-${m}`}
                value={int(at('amounts', m))}
                onChange={(v) => set(['amounts', m], v)}
                width={120}
              />
            ))}
          </Space>
        </div>
      )}
      {type === 'by_care_level' && (
        <FieldItem label={t('policy.editor.careBands')} path={key('amounts')} extra={t('policy.editor.careHint')}>
          <div>
            {bands.map((_b, i) => (
              <Space key={i} size={8} align="start" wrap>
                <IntField
                  label={t('policy.editor.minLevel')}
                  path={key('amounts', i, 'minLevel')}
                  testId={`${tid}-band-${i}-min`}
                  value={int(at('amounts', i, 'minLevel'))}
                  onChange={(v) => set(['amounts', i, 'minLevel'], v)}
                  width={70}
                />
                <IntField
                  label={t('policy.editor.maxLevel')}
                  path={key('amounts', i, 'maxLevel')}
                  testId={`${tid}-band-${i}-max`}
                  value={int(at('amounts', i, 'maxLevel'))}
                  onChange={(v) => set(['amounts', i, 'maxLevel'], v)}
                  width={70}
                />
                <YuanField
                  label={t('policy.editor.amount')}
                  path={key('amounts', i, 'amountFen')}
                  testId={`${tid}-band-${i}-yuan`}
                  value={int(at('amounts', i, 'amountFen'))}
                  onChange={(v) => set(['amounts', i, 'amountFen'], v)}
                />
                {!readOnly && (
                  <Button
                    size="small"
                    danger
                    style={{ marginTop: 30 }}
                    icon={<DeleteOutlined />}
                    aria-label={t('policy.editor.remove', { what: t('policy.editor.band') })}
                    disabled={bands.length <= 1}
                    onClick={() =>
                      set(
                        ['amounts'],
                        bands.filter((_x, j) => j !== i),
                      )
                    }
                  />
                )}
              </Space>
            ))}
            {!readOnly && (
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => set(['amounts'], [...bands, { minLevel: 3, maxLevel: 5, amountFen: 0 }])}
                data-testid={`${tid}-band-add`}
              >
                {t('policy.editor.addBand')}
              </Button>
            )}
          </div>
        </FieldItem>
      )}
      {type === 'amount_and_elder_cap' && (
        <>
          <YuanField
            label={t('policy.editor.layerPays')}
            path={key('amountFen')}
            testId={`${tid}-amountYuan`}
            value={int(at('amountFen'))}
            onChange={(v) => set(['amountFen'], v)}
          />
          <YuanField
            label={t('policy.editor.elderPaysAtMost')}
            path={key('elderPaysAtMostFen')}
            testId={`${tid}-elderCapYuan`}
            value={int(at('elderPaysAtMostFen'))}
            onChange={(v) => set(['elderPaysAtMostFen'], v)}
            extra={
              int(at('amountFen')) !== undefined && int(at('elderPaysAtMostFen')) !== undefined
                ? t('policy.editor.meetAt', { price: formatYuan(int(at('amountFen'))! + int(at('elderPaysAtMostFen'))!) })
                : undefined
            }
          />
          <SelectField
            label={t('policy.editor.belowMeet')}
            path={key('belowMeet')}
            testId={`${tid}-belowMeet`}
            value={str(at('belowMeet')) as (typeof MEET_BELOW)[number] | undefined}
            onChange={(v) => set(['belowMeet'], v)}
            options={MEET_BELOW.map((m) => ({ value: m, label: t(`policy.meet.${m}`) }))}
            width={260}
          />
          <SelectField
            label={t('policy.editor.aboveMeet')}
            path={key('aboveMeet')}
            testId={`${tid}-aboveMeet`}
            value={str(at('aboveMeet')) as (typeof MEET_ABOVE)[number] | undefined}
            onChange={(v) => set(['aboveMeet'], v)}
            options={MEET_ABOVE.map((m) => ({ value: m, label: t(`policy.meet.${m}`) }))}
            width={260}
          />
        </>
      )}
    </Space>
  );
}

// ───────────── a layer ─────────────

function LayerEditor({ doc, onChange, index, count, canteens, areaName }: EditorProps & { index: number; count: number }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { readOnly } = useFields();
  const base: Path = ['layers', index];
  const at = (...p: (string | number)[]) => getAt(doc, [...base, ...p]);
  const set = (p: (string | number)[], v: unknown) => onChange(setAt(doc, [...base, ...p], v));
  const key = (...p: (string | number)[]) => pathKey([...base, ...p]);
  const tid = (name: string) => `policy-field-layer-${index}-${name}`;
  const layers = asList(getAt(doc, ['layers'])) ?? [];
  const kind = str(at('kind'));
  const tiers = asList(at('tiers'));
  const limits = at('limits');
  const allowance = getAt(limits, ['allowance']);
  const where = str(at('where')) as (typeof WHERE)[number] | undefined;
  const declared = (asList(getAt(doc, ['dishTags'])) ?? []).filter(isRecord);
  const tagOptions = [
    ...Object.entries(BASE_DISH_TAG_LABELS[lang]).map(([code, label]) => ({ value: code, label })),
    ...declared.flatMap((d) =>
      typeof d.code === 'string' && d.code ? [{ value: d.code, label: `${str(d[lang]) ?? d.code}${t('policy.editor.declaredMark')}` }] : [],
    ),
  ];
  const later = layers.map((l, j) => ({ l, j })).filter(({ l, j }) => j > index && str(getAt(l, ['kind'])) === kind);
  const pools = [
    ...new Set(
      layers.flatMap((l) => {
        const p = str(getAt(l, ['limits', 'allowance', 'pool']));
        return p ? [p] : [];
      }),
    ),
  ];
  const pool = str(getAt(allowance, ['pool']));
  const poolMates = layers
    .map((l, j) => ({ l, j }))
    .filter(({ l, j }) => j !== index && pool !== undefined && str(getAt(l, ['limits', 'allowance', 'pool'])) === pool);

  /** Change the allowance of this layer and of every layer sharing its pool (they must state the same). */
  const setAllowance = (next: Record<string, unknown> | undefined) => {
    let d = setAt(doc, [...base, 'limits', 'allowance'], next);
    const p = next === undefined ? undefined : str(next.pool);
    if (next !== undefined && p !== undefined) {
      layers.forEach((l, j) => {
        if (j !== index && str(getAt(l, ['limits', 'allowance', 'pool'])) === p) d = setAt(d, ['layers', j, 'limits', 'allowance'], { ...next });
      });
    }
    onChange(d);
  };

  const paysMode = tiers !== undefined ? 'tiers' : 'pays';
  const switchPaysMode = (mode: string) => {
    if (mode === paysMode) return;
    if (mode === 'tiers') {
      const pays = at('pays') ?? { type: 'fixed', amountFen: 0 };
      onChange(setAt(setAt(doc, [...base, 'pays'], undefined), [...base, 'tiers'], [{ label: t('policy.editor.tierN', { n: 1 }), who: {}, pays }]));
    } else {
      const first = getAt(tiers, [0, 'pays']) ?? { type: 'fixed', amountFen: 0 };
      onChange(setAt(setAt(doc, [...base, 'tiers'], undefined), [...base, 'pays'], first));
    }
  };

  return (
    <Card
      size="small"
      type="inner"
      data-testid={`policy-edit-layer-${index}`}
      title={
        <Space size={8} wrap>
          <span>{t('policy.layerN', { n: index + 1 })}</span>
          <b>{str(at('name'))}</b>
          {kind && <Tag color={kind === 'meal' ? 'green' : 'blue'}>{t(`policy.kinds.${kind}`, { defaultValue: kind })}</Tag>}
        </Space>
      }
      extra={
        <ItemButtons
          index={index}
          count={count}
          what={t('policy.editor.layer')}
          testId={tid('item')}
          onMove={(to) => onChange(setAt(doc, ['layers'], moved(layers, index, to)))}
          onRemove={() =>
            onChange(
              setAt(
                doc,
                ['layers'],
                layers.filter((_l, j) => j !== index),
              ),
            )
          }
        />
      }
      style={{ marginBottom: 12 }}
    >
      <PathIssues path={key()} />
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <TextField label={t('policy.editor.layerName')} path={key('name')} testId={tid('name')} value={str(at('name'))} onChange={(v) => set(['name'], v)} />
        </Col>
        <Col xs={24} md={8}>
          <TextField
            label={t('policy.editor.layerPayer')}
            path={key('payer')}
            testId={tid('payer')}
            value={str(at('payer'))}
            onChange={(v) => set(['payer'], v)}
          />
        </Col>
        <Col xs={24} md={8} />
        <Col xs={24} md={8}>
          <TextField
            label={t('policy.editor.layerNameEn')}
            path={key('nameEn')}
            testId={tid('nameEn')}
            value={str(at('nameEn'))}
            placeholder={t('policy.editor.englishOptional')}
            onChange={(v) => set(['nameEn'], v.trim() ? v : undefined)}
          />
        </Col>
        <Col xs={24} md={8}>
          <TextField
            label={t('policy.editor.layerPayerEn')}
            path={key('payerEn')}
            testId={tid('payerEn')}
            value={str(at('payerEn'))}
            placeholder={t('policy.editor.englishOptional')}
            onChange={(v) => set(['payerEn'], v.trim() ? v : undefined)}
          />
        </Col>
        <Col xs={12} md={4}>
          <SelectField
            label={t('policy.editor.kind')}
            path={key('kind')}
            testId={tid('kind')}
            value={kind as (typeof KINDS)[number] | undefined}
            width={130}
            onChange={(v) => {
              let d = setAt(doc, [...base, 'kind'], v);
              // A pays type that only makes sense for a meal becomes a fixed amount for the operator.
              const fix = (p: Path) => {
                const type = str(getAt(d, [...p, 'type']));
                if (v !== 'meal' && type && (MEAL_ONLY_PAYS_TYPES as readonly string[]).includes(type)) d = setAt(d, p, paysTemplate('fixed'));
              };
              fix([...base, 'pays']);
              (tiers ?? []).forEach((_x, j) => fix([...base, 'tiers', j, 'pays']));
              onChange(d);
            }}
            options={KINDS.map((k) => ({ value: k, label: t(`policy.kinds.${k}`) }))}
          />
        </Col>
        <Col xs={12} md={4}>
          <TextField label={t('policy.editor.layerId')} path={key('id')} testId={tid('id')} value={str(at('id'))} onChange={(v) => set(['id'], v.trim())} />
        </Col>
      </Row>

      <SectionLabel>{t('policy.editor.who')}</SectionLabel>
      <WhoEditor doc={doc} onChange={onChange} base={[...base, 'who']} tid={tid('who')} layerLevel areaName={areaName} />

      <SectionLabel>{t('policy.editor.pays')}</SectionLabel>
      <FieldItem label={null} path={key('tiers')}>
        <Radio.Group
          disabled={readOnly}
          value={paysMode}
          onChange={(e) => switchPaysMode(e.target.value as string)}
          data-testid={tid('paysMode')}
          options={[
            { value: 'pays', label: t('policy.editor.oneAmount') },
            { value: 'tiers', label: t('policy.editor.byTiers') },
          ]}
        />
      </FieldItem>
      {tiers === undefined ? (
        <PaysEditor doc={doc} onChange={onChange} base={[...base, 'pays']} tid={tid('pays')} kind={kind} />
      ) : (
        <div>
          <div className="small muted" style={{ marginBottom: 6 }}>
            {t('policy.editor.tiersHint')}
          </div>
          {tiers.map((_tier, j) => (
            <Card
              key={j}
              size="small"
              style={{ marginBottom: 8 }}
              data-testid={tid(`tier-${j}`)}
              title={t('policy.editor.tierN', { n: j + 1 })}
              extra={
                <ItemButtons
                  index={j}
                  count={tiers.length}
                  what={t('policy.editor.tier')}
                  testId={tid(`tier-${j}`)}
                  onMove={(to) => set(['tiers'], moved(tiers, j, to))}
                  onRemove={() => set(['tiers'], tiers.length > 1 ? tiers.filter((_x, k) => k !== j) : tiers)}
                />
              }
            >
              <TextField
                label={t('policy.editor.tierLabel')}
                path={key('tiers', j, 'label')}
                testId={tid(`tier-${j}-label`)}
                value={str(at('tiers', j, 'label'))}
                onChange={(v) => set(['tiers', j, 'label'], v || undefined)}
                width={260}
              />
              <WhoEditor doc={doc} onChange={onChange} base={[...base, 'tiers', j, 'who']} tid={tid(`tier-${j}-who`)} layerLevel={false} areaName={areaName} />
              <PaysEditor doc={doc} onChange={onChange} base={[...base, 'tiers', j, 'pays']} tid={tid(`tier-${j}-pays`)} kind={kind} />
            </Card>
          ))}
          {!readOnly && (
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() =>
                set(['tiers'], [...tiers, { label: t('policy.editor.tierN', { n: tiers.length + 1 }), who: {}, pays: { type: 'fixed', amountFen: 0 } }])
              }
              data-testid={tid('tier-add')}
            >
              {t('policy.editor.addTier')}
            </Button>
          )}
        </div>
      )}

      <SectionLabel>{t('policy.editor.when')}</SectionLabel>
      <Space wrap size={16} align="start">
        <ChecksField<string>
          label={t('policy.editor.mealPeriods')}
          path={key('when', 'mealPeriods')}
          testId={tid('mealPeriods')}
          value={strList(at('when', 'mealPeriods'))}
          all={MEAL_PERIODS}
          labelOf={(m) => t(`mealPeriods.${m}`)}
          absentHint={t('policy.editor.allMeals')}
          onChange={(v) => set(['when', 'mealPeriods'], v)}
        />
        <ChecksField<string>
          label={t('policy.editor.fulfilment')}
          path={key('when', 'fulfilment')}
          testId={tid('fulfilment')}
          value={strList(at('when', 'fulfilment'))}
          all={FULFILMENTS}
          labelOf={(f) => t(`fulfilments.${f}`)}
          absentHint={t('policy.editor.allFulfilment')}
          onChange={(v) => set(['when', 'fulfilment'], v)}
        />
        <FieldItem label={t('policy.editor.workingDays')} path={key('when', 'workingDaysOnly')}>
          <Checkbox
            data-testid={tid('workingDaysOnly')}
            disabled={readOnly}
            checked={at('when', 'workingDaysOnly') === true}
            onChange={(e) => set(['when', 'workingDaysOnly'], e.target.checked)}
          >
            {at('when', 'workingDaysOnly') === true
              ? t('policy.editor.workingDaysOnly')
              : `${t('policy.editor.everyDay')}${at('when', 'workingDaysOnly') === undefined ? t('policy.editor.defaultMark') : ''}`}
          </Checkbox>
        </FieldItem>
        <DateField
          allowClear
          label={t('policy.editor.validFrom')}
          path={key('when', 'validFrom')}
          testId={tid('validFrom')}
          value={str(at('when', 'validFrom'))}
          onChange={(v) => set(['when', 'validFrom'], v)}
          placeholder={t('policy.editor.withPolicy')}
        />
        <DateField
          allowClear
          label={t('policy.editor.validTo')}
          path={key('when', 'validTo')}
          testId={tid('validTo')}
          value={str(at('when', 'validTo'))}
          onChange={(v) => set(['when', 'validTo'], v)}
          placeholder={t('policy.editor.withPolicy')}
        />
      </Space>
      <Space wrap size={16} align="start">
        <MultiField
          label={t('policy.editor.dishTagsAny')}
          path={key('when', 'dishTagsAny')}
          testId={tid('dishTagsAny')}
          value={strList(at('when', 'dishTagsAny'))}
          onChange={(v) => set(['when', 'dishTagsAny'], v)}
          options={tagOptions}
          placeholder={t('policy.editor.allDishes')}
        />
        <MultiField
          label={t('policy.editor.dishTagsNone')}
          path={key('when', 'dishTagsNone')}
          testId={tid('dishTagsNone')}
          value={strList(at('when', 'dishTagsNone'))}
          onChange={(v) => set(['when', 'dishTagsNone'], v)}
          options={tagOptions}
          placeholder={t('policy.editor.noneExcluded')}
        />
      </Space>

      <SectionLabel>{t('policy.editor.where')}</SectionLabel>
      <Space wrap size={16} align="start">
        <SelectField
          label={t('policy.editor.whereLabel')}
          path={key('where')}
          testId={tid('where')}
          value={where}
          fallback="issuer_area"
          width={300}
          onChange={(v) => set(['where'], v)}
          options={WHERE.map((w) => ({ value: w, label: t(`policy.where.${w}`, { area: areaName ?? t('policy.editor.thisArea') }) }))}
        />
        {(where === 'own_district' || where === 'own_street') && (
          <SelectField
            label={t('policy.editor.home')}
            path={key('home')}
            testId={tid('home')}
            value={str(at('home')) as (typeof HOME)[number] | undefined}
            fallback="hukou"
            width={220}
            onChange={(v) => set(['home'], v)}
            options={HOME.map((h) => ({ value: h, label: t(`policy.home.${h}`) }))}
          />
        )}
        <MultiField
          label={t('policy.editor.canteens')}
          path={key('canteens')}
          testId={tid('canteens')}
          value={strList(at('canteens'))}
          onChange={(v) => set(['canteens'], v)}
          options={canteens.map((c) => ({ value: c.id, label: c.name }))}
          placeholder={t('policy.editor.allCanteens')}
          width={360}
        />
      </Space>

      <SectionLabel>{t('policy.editor.limits')}</SectionLabel>
      <Space wrap size={12} align="start">
        {LIMIT_COUNTS.map((k) => (
          <IntField
            key={k}
            optional={k !== 'perMealPeriod'}
            label={t(`policy.editor.${k}`)}
            path={key('limits', k)}
            testId={tid(k)}
            value={int(at('limits', k)) ?? (k === 'perMealPeriod' ? 1 : undefined)}
            onChange={(v) => set(['limits', k], v)}
            placeholder={t('policy.editor.blankUnlimited')}
            suffix={t('policy.editor.times')}
            width={120}
            extra={k === 'perMealPeriod' && int(at('limits', k)) === undefined ? t('policy.editor.defaultOne') : undefined}
          />
        ))}
        <YuanField
          optional
          label={t('policy.editor.minPrice')}
          path={key('limits', 'minMealPriceFen')}
          testId={tid('minPriceYuan')}
          value={int(at('limits', 'minMealPriceFen'))}
          onChange={(v) => set(['limits', 'minMealPriceFen'], v)}
          placeholder={t('policy.editor.noMinimum')}
        />
        <YuanField
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
      <div className="small muted" style={{ marginBottom: 8 }}>
        {t('policy.editor.oneMealRule')}
      </div>
      <FieldItem label={t('policy.editor.allowance')} path={key('limits', 'allowance')}>
        <Space wrap size={12} align="start">
          <Switch
            data-testid={tid('allowance')}
            disabled={readOnly}
            checked={isRecord(allowance)}
            onChange={(on) => setAllowance(on ? { period: 'day', amountFen: 1000 } : undefined)}
            aria-label={t('policy.editor.allowance')}
          />
          <span className="small muted">{isRecord(allowance) ? t('policy.editor.allowanceOn') : t('policy.editor.allowanceOff')}</span>
        </Space>
      </FieldItem>
      {isRecord(allowance) && (
        <Space wrap size={12} align="start">
          <SelectField
            label={t('policy.editor.allowancePeriod')}
            path={key('limits', 'allowance', 'period')}
            testId={tid('allowancePeriod')}
            value={str(allowance.period) as 'day' | 'week' | 'month' | undefined}
            width={160}
            onChange={(v) => setAllowance({ ...allowance, period: v })}
            options={(['day', 'week', 'month'] as const).map((p) => ({ value: p, label: t(`policy.periods.${p}`) }))}
          />
          <YuanField
            label={t('policy.editor.allowanceAmount')}
            path={key('limits', 'allowance', 'amountFen')}
            testId={tid('allowanceYuan')}
            value={int(allowance.amountFen)}
            onChange={(v) => setAllowance({ ...allowance, amountFen: v })}
          />
          <FieldItem
            label={t('policy.editor.pool')}
            path={key('limits', 'allowance', 'pool')}
            htmlFor={tid('pool')}
            extra={
              poolMates.length
                ? t('policy.editor.poolShared', { names: poolMates.map(({ l }) => str(getAt(l, ['name'])) ?? '').join(t('common.listSep')) })
                : undefined
            }
            maxWidth={300}
          >
            <Select
              id={tid('pool')}
              data-testid={tid('pool')}
              style={{ width: 260 }}
              disabled={readOnly}
              value={pool ?? ''}
              onChange={(v: string) => {
                if (v === '') return setAllowance({ period: allowance.period, amountFen: allowance.amountFen });
                if (v === '__new') return setAllowance({ ...allowance, pool: freshPool(pools) });
                // Joining a pool takes its period and amount.
                const mate = layers.find((l) => str(getAt(l, ['limits', 'allowance', 'pool'])) === v);
                const a = getAt(mate, ['limits', 'allowance']);
                setAllowance(isRecord(a) ? { ...a } : { ...allowance, pool: v });
              }}
              options={[
                { value: '', label: t('policy.editor.poolNone') },
                ...pools.map((p) => ({ value: p, label: t('policy.editor.poolNamed', { names: poolNames(layers, p) }) })),
                { value: '__new', label: t('policy.editor.poolNew') },
              ]}
            />
          </FieldItem>
        </Space>
      )}

      <SectionLabel>{t('policy.editor.replaces')}</SectionLabel>
      <MultiField
        label={t('policy.editor.replacesLabel')}
        path={key('replaces')}
        testId={tid('replaces')}
        value={strList(at('replaces'))}
        onChange={(v) => set(['replaces'], v)}
        options={later.map(({ l }) => ({ value: str(getAt(l, ['id'])) ?? '', label: str(getAt(l, ['name'])) ?? '' }))}
        placeholder={later.length ? t('policy.editor.replacesNone') : t('policy.editor.replacesNoLater')}
        width={400}
        extra={t('policy.editor.replacesHint')}
      />
    </Card>
  );
}

function freshPool(pools: string[]): string {
  let n = 1;
  while (pools.includes(`pool-${n}`)) n += 1;
  return `pool-${n}`;
}

function poolNames(layers: unknown[], pool: string): string {
  return layers
    .filter((l) => str(getAt(l, ['limits', 'allowance', 'pool'])) === pool)
    .map((l) => str(getAt(l, ['name'])) ?? '')
    .join('、');
}

// ───────────── the document ─────────────

function CalendarEditor({ doc, onChange }: { doc: unknown; onChange: Change }) {
  const { t } = useTranslation();
  const { readOnly } = useFields();
  const cal = getAt(doc, ['calendar']);
  const dates = (k: string) => (strList(getAt(cal, [k])) ?? []).map((d) => dayjs(d));
  const setDates = (k: string, v: dayjs.Dayjs[] | null) => onChange(setAt(doc, ['calendar', k], (v ?? []).map((d) => d.format('YYYY-MM-DD')).sort()));
  return (
    <>
      <FieldItem
        label={t('policy.editor.calendar')}
        path="calendar"
        extra={isRecord(cal) ? t('policy.editor.calendarOwnHint') : t('policy.editor.calendarCityHint')}
      >
        <Space>
          <Switch
            data-testid="policy-field-calendar"
            disabled={readOnly}
            checked={isRecord(cal)}
            onChange={(on) => onChange(setAt(doc, ['calendar'], on ? { holidays: [], adjustedWorkingDays: [] } : undefined))}
            aria-label={t('policy.editor.calendar')}
          />
          <span className="small">
            {isRecord(cal) ? t('policy.editor.calendarOwn') : `${t('policy.editor.calendarCity')}${t('policy.editor.defaultMark')}`}
          </span>
        </Space>
      </FieldItem>
      {isRecord(cal) && (
        <Space wrap size={16} align="start">
          <FieldItem label={t('policy.editor.holidays')} path="calendar.holidays" htmlFor="policy-field-holidays">
            <DatePicker
              multiple
              id="policy-field-holidays"
              data-testid="policy-field-holidays"
              disabled={readOnly}
              value={dates('holidays')}
              onChange={(v) => setDates('holidays', v as dayjs.Dayjs[] | null)}
              style={{ minWidth: 280 }}
            />
          </FieldItem>
          <FieldItem
            label={t('policy.editor.adjustedWorkingDays')}
            path="calendar.adjustedWorkingDays"
            htmlFor="policy-field-adjusted"
            extra={t('policy.editor.adjustedHint')}
          >
            <DatePicker
              multiple
              id="policy-field-adjusted"
              data-testid="policy-field-adjusted"
              disabled={readOnly}
              value={dates('adjustedWorkingDays')}
              onChange={(v) => setDates('adjustedWorkingDays', v as dayjs.Dayjs[] | null)}
              style={{ minWidth: 280 }}
            />
          </FieldItem>
        </Space>
      )}
    </>
  );
}

function DishTagsEditor({ doc, onChange }: { doc: unknown; onChange: Change }) {
  const { t } = useTranslation();
  const { readOnly } = useFields();
  const tags = asList(getAt(doc, ['dishTags'])) ?? [];
  const set = (next: unknown[]) => onChange(setAt(doc, ['dishTags'], next.length ? next : undefined));
  return (
    <FieldItem label={t('policy.editor.dishTags')} path="dishTags" extra={t('policy.editor.dishTagsHint')}>
      <div>
        {tags.map((tag, i) => {
          const code = str(getAt(tag, ['code'])) ?? '';
          const en = str(getAt(tag, ['en'])) ?? '';
          // The code follows the English name until the author types one of their own.
          const auto = code === slugOf(en);
          return (
            <Space key={i} wrap size={8} align="start">
              <TextField
                label={t('policy.editor.tagZh')}
                path={`dishTags.${i}.zh`}
                testId={`policy-field-tag-${i}-zh`}
                value={str(getAt(tag, ['zh']))}
                onChange={(v) => onChange(setAt(doc, ['dishTags', i, 'zh'], v))}
                width={140}
              />
              <TextField
                label={t('policy.editor.tagEn')}
                path={`dishTags.${i}.en`}
                testId={`policy-field-tag-${i}-en`}
                value={en}
                onChange={(v) => {
                  let d = setAt(doc, ['dishTags', i, 'en'], v);
                  if (auto) d = setAt(d, ['dishTags', i, 'code'], slugOf(v));
                  onChange(d);
                }}
                width={180}
              />
              <TextField
                label={t('policy.editor.tagCode')}
                path={`dishTags.${i}.code`}
                testId={`policy-field-tag-${i}-code`}
                value={code}
                onChange={(v) => onChange(setAt(doc, ['dishTags', i, 'code'], v.trim()))}
                width={160}
              />
              {!readOnly && (
                <Button
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  style={{ marginTop: 30 }}
                  aria-label={t('policy.editor.remove', { what: t('policy.editor.tag') })}
                  onClick={() => set(tags.filter((_x, j) => j !== i))}
                />
              )}
            </Space>
          );
        })}
        {!readOnly && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => set([...tags, { code: '', zh: '', en: '' }])} data-testid="policy-field-tag-add">
            {t('policy.editor.addTag')}
          </Button>
        )}
      </div>
    </FieldItem>
  );
}

/** Every field of the document and of each layer. */
export function StructuredEditor(props: EditorProps) {
  const { t } = useTranslation();
  const { readOnly } = useFields();
  const { doc, onChange, areaName } = props;
  const layers = asList(getAt(doc, ['layers']));
  const firstPayer = str(getAt(layers?.[0], ['payer'])) ?? '';
  const addLayer = (kind: string) => {
    const stem = kind === 'meal' ? 'meal' : kind;
    const next = layerTemplate(kind, freshId(doc, stem), firstPayer, t('policy.editor.newLayerName', { kind: t(`policy.kinds.${kind}`) }));
    onChange(setAt(doc, ['layers'], [...(layers ?? []), next]));
  };
  return (
    <Form layout="vertical" component="div">
      <PathIssues path="" />
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <TextField
            label={t('policy.editor.policyName')}
            path="name"
            testId="policy-field-name"
            value={str(getAt(doc, ['name']))}
            onChange={(v) => onChange(setAt(doc, ['name'], v))}
          />
        </Col>
        <Col xs={24} lg={4}>
          <FieldItem label={t('policy.editor.issuer')} path="areaCode">
            <Typography.Text data-testid="policy-field-issuer">
              {t(`policy.levels.${str(getAt(doc, ['level'])) ?? 'city'}`)} · {areaName ?? str(getAt(doc, ['areaCode']))}
            </Typography.Text>
          </FieldItem>
        </Col>
        <Col xs={12} lg={5}>
          <DateField
            label={t('policy.editor.effectiveFrom')}
            path="effectiveFrom"
            testId="policy-field-effectiveFrom"
            value={str(getAt(doc, ['effectiveFrom']))}
            onChange={(v) => onChange(setAt(doc, ['effectiveFrom'], v))}
            extra={t('policy.editor.effectiveFromHint')}
          />
        </Col>
        <Col xs={12} lg={5}>
          <DateField
            allowClear
            label={t('policy.editor.effectiveTo')}
            path="effectiveTo"
            testId="policy-field-effectiveTo"
            placeholder={t('policy.editor.effectiveToHint')}
            value={str(getAt(doc, ['effectiveTo']))}
            onChange={(v) => onChange(setAt(doc, ['effectiveTo'], v ?? null))}
          />
        </Col>
      </Row>
      <CalendarEditor doc={doc} onChange={onChange} />
      <DishTagsEditor doc={doc} onChange={onChange} />
      <PathIssues path="layers" />
      {layers ? (
        layers.map((_l, i) => <LayerEditor key={i} {...props} index={i} count={layers.length} />)
      ) : (
        <Alert type="warning" showIcon title={t('policy.editor.noLayers')} />
      )}
      {!readOnly && (
        <Dropdown
          trigger={['click']}
          menu={{
            items: KINDS.map((k) => ({ key: k, label: <span data-testid={`policy-add-layer-${k}`}>{t(`policy.kinds.${k}`)}</span> })),
            onClick: ({ key }) => addLayer(key),
          }}
        >
          <Button icon={<PlusOutlined />} data-testid="policy-add-layer">
            {t('policy.editor.addLayer')}
          </Button>
        </Dropdown>
      )}
    </Form>
  );
}
