import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { EXPORT_FORMATS, type ExportFormatName } from '@yishi/shared/schemas';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { download, type Query } from '../api/client';
import { errorText } from '../lib/errors';

/**
 * "导出 Excel" and "导出 CSV" for the list on screen: the same filters go to the list's export route, and the file
 * the server streams is saved under its own name.
 */
export function ExportButtons({ path, query, request, name }: { path: string; query: Query; request?: z.ZodType; name: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<ExportFormatName | null>(null);
  const run = async (format: ExportFormatName) => {
    setBusy(format);
    try {
      await download(path, { ...query, format }, request);
    } catch (e) {
      void message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space size={4}>
      {EXPORT_FORMATS.map((f) => (
        <Button key={f} icon={<DownloadOutlined />} loading={busy === f} onClick={() => void run(f)} data-testid={`export-${name}-${f}`}>
          {t(`exports.${f}`)}
        </Button>
      ))}
    </Space>
  );
}
