import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

export function ComingSoon({ title }: { title: string }) {
  const { t } = useTranslation();
  return <Result status="info" title={`${t(title)} · ${t('app.comingSoon')}`} subTitle={t('app.comingSoonDesc')} />;
}
