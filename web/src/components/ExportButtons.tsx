import { FileExcelOutlined, FilePdfOutlined, FileTextOutlined } from '@ant-design/icons';
import { App, Button, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Download } from '../api/client';
import { errorText } from '../lib/errors';

export type ExportFormat = 'xlsx' | 'csv' | 'pdf';

/** 12345 → '12.1 KB' (what a person reads while a file arrives). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Hand a downloaded file to the browser as a download with its own name. */
export function saveDownload(d: Download): void {
  const url = URL.createObjectURL(d.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = d.filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Excel and PDF (or CSV: `formats`) export buttons. While a file arrives the bytes received so far are shown (a streamed export has no
 * total), with a way to cancel; then the browser saves it under the server's name.
 */
export function ExportButtons<F extends ExportFormat = 'xlsx' | 'pdf'>({
  run,
  formats = ['xlsx', 'pdf'] as F[],
  disabled,
  testId = 'export',
}: {
  run: (format: F, onProgress: (bytes: number) => void, signal: AbortSignal) => Promise<Download>;
  formats?: F[];
  disabled?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<{ format: F; bytes: number } | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const start = async (format: F) => {
    const ctrl = new AbortController();
    abort.current = ctrl;
    setBusy({ format, bytes: 0 });
    try {
      const file = await run(format, (bytes) => setBusy({ format, bytes }), ctrl.signal);
      saveDownload(file);
      void message.success(t('exports.saved', { name: file.filename }));
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') void message.info(t('exports.cancelled'));
      else void message.error(errorText(t, e));
    } finally {
      abort.current = null;
      setBusy(null);
    }
  };

  return (
    <Space wrap>
      {formats.includes('xlsx' as F) && (
        <Button
          icon={<FileExcelOutlined />}
          disabled={disabled || !!busy}
          loading={busy?.format === 'xlsx'}
          onClick={() => void start('xlsx' as F)}
          data-testid={`${testId}-xlsx`}
        >
          {t('exports.excel')}
        </Button>
      )}
      {formats.includes('csv' as F) && (
        <Button
          icon={<FileTextOutlined />}
          disabled={disabled || !!busy}
          loading={busy?.format === 'csv'}
          onClick={() => void start('csv' as F)}
          data-testid={`${testId}-csv`}
        >
          {t('exports.csv')}
        </Button>
      )}
      {formats.includes('pdf' as F) && (
        <Button
          icon={<FilePdfOutlined />}
          disabled={disabled || !!busy}
          loading={busy?.format === 'pdf'}
          onClick={() => void start('pdf' as F)}
          data-testid={`${testId}-pdf`}
        >
          {t('exports.pdf')}
        </Button>
      )}
      {busy && (
        <Space role="status" aria-live="polite" data-testid={`${testId}-progress`} data-bytes={busy.bytes}>
          <Spin size="small" />
          <Typography.Text>
            {t('exports.receiving', { format: busy.format === 'xlsx' ? 'Excel' : busy.format.toUpperCase(), size: formatBytes(busy.bytes) })}
          </Typography.Text>
          <Button size="small" type="link" onClick={() => abort.current?.abort()} data-testid={`${testId}-cancel`}>
            {t('exports.cancel')}
          </Button>
        </Space>
      )}
    </Space>
  );
}
