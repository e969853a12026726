import { act, render, screen } from '@testing-library/react';
import { DatePicker, Form, Input, type FormInstance } from 'antd';
import dayjs from 'dayjs';
import { AddCategoryRequest, CreateResidentRequest, DishInput, TopupRequest } from '@yishi/shared/schemas';
import { parseYuan } from '@yishi/shared/money';
import i18n from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError, checkRequest } from '../api/client';
import { checkText, formFieldFor, schemaRules, showFormError } from './forms';

const t = i18n.getFixedT('zh-CN');
const en = i18n.getFixedT('en');

/** Run antd's rules for one field the way the form does, and return the first message (or null). */
async function check(rules: ReturnType<typeof schemaRules>, value: unknown): Promise<string | null> {
  for (const rule of rules) {
    if (typeof rule === 'function') continue;
    if (rule.required && (value === undefined || value === null || value === '' || (typeof value === 'string' && !value.trim()))) return String(rule.message);
    if (rule.validator) {
      try {
        await rule.validator(rule, value, () => undefined);
      } catch (e) {
        return (e as Error).message;
      }
    }
  }
  return null;
}

describe('form rules from the shared schemas', () => {
  it('an ID number: format, then the check digit, in Chinese', async () => {
    const rules = schemaRules(t, CreateResidentRequest.shape.idNumber, 'idNumber');
    expect(await check(rules, '')).toBe('必填');
    expect(await check(rules, '44010619500506')).toContain('18 位');
    expect(await check(rules, '440106195005060029')).toContain('校验位');
    expect(await check(rules, '440106195005060028')).toBeNull();
  });

  it('optional fields stay optional; a filled one is checked', async () => {
    const rules = schemaRules(t, CreateResidentRequest.shape.phone, 'phone');
    expect(await check(rules, undefined)).toBeNull();
    expect(await check(rules, '')).toBeNull();
    expect(await check(rules, '2380013800')).toBe('请输入 11 位手机号（1 开头）');
    expect(await check(rules, '13800138000')).toBeNull();
  });

  it('lengths come from the schema, with its own limits', async () => {
    const rules = schemaRules(t, AddCategoryRequest.shape.evidence, 'evidence');
    expect(await check(rules, '  ')).toBe('必填');
    expect(await check(rules, '证')).toContain('2–200');
    expect(await check(rules, '低保证 穗天民低字第2022-0381号')).toBeNull();
    const name = schemaRules(t, DishInput.shape.name, 'name');
    expect(await check(name, '菜'.repeat(41))).toBe('最多 40 个字');
  });

  it('an amount typed in yuan is checked in fen, and says so in yuan', async () => {
    const toFen = (v: unknown) => (typeof v === 'string' ? (parseYuan(v) ?? Number.NaN) : v);
    const rules = schemaRules(t, TopupRequest.shape.amountFen, 'amountFen', toFen);
    expect(await check(rules, '0.5')).toContain('1–2000 元');
    expect(await check(rules, 'abc')).toContain('1–2000 元');
    expect(await check(rules, '5000')).toContain('1–2000 元');
    expect(await check(rules, '50')).toBeNull();
  });

  it('speaks English when the console does', async () => {
    const rules = schemaRules(en, CreateResidentRequest.shape.idNumber, 'idNumber');
    expect(await check(rules, '440106195005060029')).toContain('check digit');
  });

  it('the generic texts say the limit', () => {
    const issue = DishInput.shape.priceFen.safeParse(200_000).error!.issues[0]!;
    expect(checkText(t, issue)).toBe('不能大于 100000');
  });
});

describe('the rules inside a real antd form', () => {
  it('accept a date, a list and a text the schema accepts, and refuse a blank text', async () => {
    let form: FormInstance | undefined;
    function DateForm() {
      const [f] = Form.useForm();
      form = f;
      return (
        <Form form={f} initialValues={{ validFrom: dayjs('2026-11-01'), residence: ['440106', '440106004'], evidence: '  ' }}>
          <Form.Item
            name="validFrom"
            rules={schemaRules(t, AddCategoryRequest.shape.validFrom, 'validFrom', (v) => (dayjs.isDayjs(v) ? v.format('YYYY-MM-DD') : v))}
          >
            <DatePicker />
          </Form.Item>
          <Form.Item
            name="residence"
            rules={schemaRules(t, CreateResidentRequest.shape.residenceAreaCode, 'residenceAreaCode', (v) => (Array.isArray(v) ? v.at(-1) : v))}
          >
            <Input />
          </Form.Item>
          <Form.Item name="evidence" rules={schemaRules(t, AddCategoryRequest.shape.evidence, 'evidence')}>
            <Input />
          </Form.Item>
        </Form>
      );
    }
    render(<DateForm />);
    const failed = await form!.validateFields().then(
      () => [],
      (e: { errorFields: { name: (string | number)[]; errors: string[] }[] }) => e.errorFields,
    );
    expect(failed).toEqual([{ name: ['evidence'], errors: ['必填'], warnings: [] }]);
  });
});

describe('a refusal lands on the field it concerns', () => {
  it('maps wire paths to form fields: renames, list paths, the longest registered prefix', () => {
    const registered = new Set(['name', 'hukou', 'categories.0.evidence', 'price']);
    expect(formFieldFor(['hukouAreaCode'], registered, { hukouAreaCode: 'hukou' })).toEqual(['hukou']);
    expect(formFieldFor(['categories', 0, 'evidence'], registered)).toEqual(['categories', 0, 'evidence']);
    expect(formFieldFor(['priceFen'], registered, { priceFen: 'price' })).toEqual(['price']);
    expect(formFieldFor(['setMealItems', 0, 'dishId'], registered)).toBeNull();
  });

  function Harness({ onForm }: { onForm: (f: FormInstance) => void }) {
    const [form] = Form.useForm();
    onForm(form);
    return (
      <Form form={form}>
        <Form.Item name="idNumber" label="身份证号">
          <Input />
        </Form.Item>
        <Form.Item name="residence" label="居住地">
          <Input />
        </Form.Item>
        <Form.List name="categories" initialValue={[{ evidence: '' }]}>
          {(fields) =>
            fields.map((f) => (
              <Form.Item key={f.key} name={[f.name, 'evidence']} label="依据">
                <Input />
              </Form.Item>
            ))
          }
        </Form.List>
      </Form>
    );
  }

  async function renderForm(): Promise<FormInstance> {
    let form: FormInstance | undefined;
    render(<Harness onForm={(f) => (form = f)} />);
    return form!;
  }

  it("puts the server's refusal (details.field + code) on the field, in Chinese", async () => {
    const form = await renderForm();
    const err = new ApiError(409, 'conflict', 'a resident with this ID number is already registered', { field: 'idNumber' });
    let summary = '';
    act(() => void (summary = showFormError(form, err, t)));
    expect(summary).toBe('请检查标红的字段。');
    expect(await screen.findByText('该身份证号已登记')).toBeTruthy();
  });

  it('a refusal without a field goes where the page says it belongs (forbidden → residence)', async () => {
    const form = await renderForm();
    const err = new ApiError(403, 'forbidden', 'outside your street');
    act(() => void showFormError(form, err, t, { rename: { residenceAreaCode: 'residence' }, byCode: { forbidden: 'residenceAreaCode' } }));
    expect(await screen.findByText(/不在您管辖的街道/)).toBeTruthy();
  });

  it("the client's own check of a whole request lands on list fields too", async () => {
    const form = await renderForm();
    let whole: unknown;
    try {
      checkRequest(CreateResidentRequest, {
        name: '邓美玲',
        gender: 'female',
        birthDate: '1950-05-06',
        idNumber: '440106195005060028',
        hukouAreaCode: '440106004',
        residenceAreaCode: '440106004001',
        categories: [{ code: 'dibao', validFrom: '2026-11-01', evidence: '  ' }],
      });
    } catch (e) {
      whole = e;
    }
    expect((whole as ApiError).issues.map((i) => i.path)).toEqual([['categories', 0, 'evidence']]);
    act(() => void showFormError(form, whole, t));
    expect(await screen.findByText('必填')).toBeTruthy();
  });

  it('what cannot be placed is said in one line; a plain failure by its code', async () => {
    const form = await renderForm();
    const err = new ApiError(400, 'bad_request', 'retired', { field: 'items' });
    let summary = '';
    act(() => void (summary = showFormError(form, err, t)));
    expect(summary).toContain('停用');
    act(() => void (summary = showFormError(form, new ApiError(0, 'internal', 'network error', { network: true }), t)));
    expect(summary).toBe('网络连接失败，请检查网络后重试。');
  });
});
