import { useTranslation } from 'react-i18next';
import { usePolicyNamesEn } from '../api/policy';

/**
 * Payers' and layers' names as the reader reads them: in English, the English name the published policies give
 * (`payerEn`, `nameEn`); otherwise, or where a policy gives none, the Chinese name as stored. Claims, reports and the
 * clearing keep a payer under its Chinese name; only the words shown change.
 */
export function usePolicyWords() {
  const { i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const names = usePolicyNamesEn(en);
  return {
    payer: (zh: string): string => (en ? (names.data?.payers[zh] ?? zh) : zh),
    layer: (zh: string): string => (en ? (names.data?.layers[zh] ?? zh) : zh),
  };
}
