import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorText } from '../lib/errors';

/** While a page's first data loads. */
export function FullPageSpin() {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '60vh' }}>
      <Spin size="large" aria-label={t('app.loading')} />
    </div>
  );
}

/** A page whose data could not be loaded: what went wrong, in words, and a way to try again. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status={error instanceof ApiError && error.status === 403 ? '403' : 'warning'}
      title={t('common.loadFailed')}
      subTitle={errorText(t, error)}
      extra={onRetry ? <Button onClick={onRetry}>{t('app.retry')}</Button> : undefined}
    />
  );
}
