import type { z } from 'zod';
import { download, type Query } from '../api/client';
import { ExportButtons } from './ExportButtons';

/**
 * "导出 Excel" and "导出 CSV" for the list on screen: the same filters go to the list's export route (`format` added),
 * and the file the server streams is saved under its own name.
 */
export function ListExportButtons({ path, query, request, name }: { path: string; query: Query; request?: z.ZodType; name: string }) {
  return (
    <ExportButtons
      formats={['xlsx', 'csv']}
      testId={`export-${name}`}
      run={(format, onProgress, signal) => download(path, { query: { ...query, format }, request, signal, onProgress: (received) => onProgress(received) })}
    />
  );
}
