import { Checkbox, Col, Form, Radio, Row, Select, Switch } from 'antd';
import { ALLERGENS, DIET_NEEDS, DISABILITY_LEVELS } from '@yishi/shared/domain';
import { useTranslation } from 'react-i18next';

/** Care level, disability, living alone, diet and allergies: the same fields when registering and editing. */
export function CareFields({ testPrefix }: { testPrefix: 'rf' | 're' }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="careLevel" label={t('residentForm.careLevel')} extra={t('residentForm.careHelp')}>
        <Radio.Group optionType="button" options={[0, 1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }))} data-testid={`${testPrefix}-care`} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={9}>
          <Form.Item name="disabilityGrade" label={t('residentForm.disabilityGrade')}>
            <Select options={[0, 1, 2, 3, 4].map((n) => ({ value: n, label: t(`disabilityGrades.${n}`) }))} data-testid={`${testPrefix}-disability-grade`} />
          </Form.Item>
        </Col>
        <Col span={9}>
          <Form.Item name="disabilityLevel" label={t('residentForm.disabilityLevel')}>
            <Select options={DISABILITY_LEVELS.map((d) => ({ value: d, label: t(`disability.${d}`) }))} data-testid={`${testPrefix}-disability-level`} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="livesAlone" label={t('residentForm.livesAlone')} valuePropName="checked">
            <Switch data-testid={`${testPrefix}-lives-alone`} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="dietNeeds" label={t('residentForm.dietNeeds')}>
        <Checkbox.Group options={DIET_NEEDS.map((d) => ({ value: d, label: t(`dietNeeds.${d}`) }))} data-testid={`${testPrefix}-diet`} />
      </Form.Item>
      <Form.Item name="allergies" label={t('residentForm.allergies')}>
        <Checkbox.Group options={ALLERGENS.map((a) => ({ value: a, label: t(`allergens.${a}`) }))} data-testid={`${testPrefix}-allergies`} />
      </Form.Item>
    </>
  );
}
