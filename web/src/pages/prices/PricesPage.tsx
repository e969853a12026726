import { Alert, Typography } from 'antd';
import { PRICE_NOTICE_DAYS_AFTER, PRICE_NOTICE_MIN_DAYS } from '@yishi/shared/domain';
import { useTranslation } from 'react-i18next';
import { useCanteenCtx } from '../../layout/canteenContext';
import { PriceChangesTable } from './PriceChanges';

/** One canteen's price history (调价记录): proposals, decisions and what is in force. */
export function PricesPage() {
  const { t } = useTranslation();
  const { canteen } = useCanteenCtx();
  return (
    <div className="page">
      <div className="toolbar">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('prices.title')}
        </Typography.Title>
      </div>
      <Alert type="info" showIcon title={t('prices.rule', { before: PRICE_NOTICE_MIN_DAYS, after: PRICE_NOTICE_DAYS_AFTER })} style={{ marginBottom: 12 }} />
      <PriceChangesTable canteenId={canteen.id} />
    </div>
  );
}

/** Street, district and city staff: the price changes waiting for them across their area (价格审批). */
export function PriceReviewsPage() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <div className="toolbar">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('prices.reviewTitle')}
        </Typography.Title>
      </div>
      <PriceChangesTable initialState="proposed" showCanteen />
    </div>
  );
}
