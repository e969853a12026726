import { Badge, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LiveStatus } from '../api/live';

/** Whether this screen receives orders live (the WebSocket), or is reconnecting. */
export function LiveBadge({ status }: { status: LiveStatus }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={status === 'open' ? 'WebSocket' : undefined}>
      <Badge
        status={status === 'open' ? 'success' : status === 'connecting' ? 'processing' : 'error'}
        text={status === 'open' ? t('header.live') : t('header.offline')}
        data-testid="live-status"
        data-status={status}
      />
    </Tooltip>
  );
}
