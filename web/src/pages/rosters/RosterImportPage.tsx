import { InboxOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import { Alert, App, Button, Progress, Radio, Result, Select, Space, Table, Typography, Upload } from 'antd';
import {
  ROSTER_CHUNK_ROWS,
  ROSTER_FIELDS,
  ROSTER_MAX_ROWS,
  ROSTER_REQUIRED_FIELDS,
  autoMapHeaders,
  type RosterDuplicateAction,
  type RosterField,
} from '@yishi/shared/domain';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rostersApi, type RosterDuplicate, type RosterImport, type RosterRowError, type RosterRowInput } from '../../api/rosters';
import { useCanteenCtx } from '../../layout/canteenContext';
import { errorText } from '../../lib/errors';
import type { RosterFileMessage, RosterFileRequest, RosterFileRow } from './rosterFile.worker';

/** The file as the page knows it: its rows stay in the worker, which cuts them into chunks when asked. */
interface ParsedFile {
  name: string;
  headers: string[];
  /** Data rows (blank rows left out). */
  rowCount: number;
  /** The first three data rows, for the mapping preview. */
  sample: RosterFileRow[];
}

type Step =
  | { kind: 'pick'; problem?: string }
  | { kind: 'reading'; name: string; fraction: number }
  | { kind: 'mapping'; file: ParsedFile }
  | { kind: 'checking'; file: ParsedFile; done: number }
  | { kind: 'checked'; file: ParsedFile; imp: RosterImport; errors: RosterRowError[]; duplicates: RosterDuplicate[] }
  | { kind: 'committing'; file: ParsedFile; imp: RosterImport }
  | { kind: 'done'; imp: RosterImport };

/** Header names as keys of the mapping kept with the import: blank or repeated headers get their column number. */
function headerKeys(headers: string[]): string[] {
  const seen = new Set<string>();
  return headers.map((h, i) => {
    let k = h.trim() || `第${i + 1}列`;
    if (seen.has(k)) k = `${k}（第${i + 1}列）`;
    seen.add(k);
    return k.slice(0, 100);
  });
}

/** Asks the worker that holds the file for one chunk of rows, mapped as the server takes them. */
function chunkFrom(w: Worker, mapping: (RosterField | null)[], start: number, size: number): Promise<RosterRowInput[]> {
  const id = Math.random();
  return new Promise((resolve, reject) => {
    const onMessage = (ev: MessageEvent<RosterFileMessage>) => {
      if (ev.data.type !== 'chunk' || ev.data.id !== id) return;
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      resolve(ev.data.rows);
    };
    const onError = (ev: ErrorEvent) => {
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      reject(new Error(ev.message));
    };
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
    w.postMessage({ type: 'chunk', id, mapping, start, size } satisfies RosterFileRequest);
  });
}

/**
 * 名册导入: choose a file (read in a worker), check the column mapping against a preview, upload the rows in chunks
 * (a progress bar; the server checks every row), see every refused row in Chinese and every registered ID number,
 * then confirm. Nothing is written before the confirmation, and a roster with errors cannot be confirmed.
 */
export function RosterImportPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { canteen } = useCanteenCtx();
  const [step, setStep] = useState<Step>({ kind: 'pick' });
  const [mapping, setMapping] = useState<(RosterField | null)[]>([]);
  const [dupAction, setDupAction] = useState<RosterDuplicateAction>('skip');
  const worker = useRef<Worker | null>(null);
  const staging = useRef<string | null>(null);

  useEffect(
    () => () => {
      worker.current?.terminate();
      if (staging.current) void rostersApi.abandon(staging.current).catch(() => undefined);
    },
    [],
  );

  const startOver = () => {
    worker.current?.terminate();
    worker.current = null;
    if (staging.current) void rostersApi.abandon(staging.current).catch(() => undefined);
    staging.current = null;
    setStep({ kind: 'pick' });
  };

  const read = (file: File) => {
    worker.current?.terminate();
    const w = new Worker(new URL('./rosterFile.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    setStep({ kind: 'reading', name: file.name, fraction: 0 });
    const drop = () => {
      w.terminate();
      if (worker.current === w) worker.current = null;
    };
    w.onmessage = (ev: MessageEvent<RosterFileMessage>) => {
      const m = ev.data;
      if (m.type === 'progress') setStep({ kind: 'reading', name: file.name, fraction: m.fraction });
      else if (m.type === 'error') {
        drop();
        setStep({ kind: 'pick', problem: t(m.reason === 'empty' ? 'rosters.empty' : 'rosters.unreadable') });
      } else if (m.type === 'parsed') {
        // The worker keeps the rows (until the page starts over or goes): the checks ask it for them chunk by chunk.
        w.onmessage = null;
        if (m.rowCount === 0) {
          drop();
          setStep({ kind: 'pick', problem: t('rosters.empty') });
        } else if (m.rowCount > ROSTER_MAX_ROWS) {
          drop();
          setStep({ kind: 'pick', problem: t('rosters.tooMany', { rows: m.rowCount, max: ROSTER_MAX_ROWS }) });
        } else {
          setMapping(autoMapHeaders(m.headers));
          setStep({ kind: 'mapping', file: { name: file.name, headers: m.headers, rowCount: m.rowCount, sample: m.sample } });
        }
      }
    };
    w.onerror = () => {
      drop();
      setStep({ kind: 'pick', problem: t('rosters.unreadable') });
    };
    w.postMessage({ type: 'read', file } satisfies RosterFileRequest);
  };

  const check = async (file: ParsedFile) => {
    const keys = headerKeys(file.headers);
    const map: Record<string, RosterField> = {};
    mapping.forEach((f, i) => {
      if (f) map[keys[i]!] = f;
    });
    setStep({ kind: 'checking', file, done: 0 });
    try {
      let imp = await rostersApi.create({ canteenId: canteen.id, fileName: file.name.slice(0, 200), mapping: map });
      staging.current = imp.id;
      const errors: RosterRowError[] = [];
      const duplicates: RosterDuplicate[] = [];
      const w = worker.current;
      if (!w) throw new Error('the file is no longer held: choose it again');
      for (let start = 0; start < file.rowCount; start += ROSTER_CHUNK_ROWS) {
        const rows = await chunkFrom(w, mapping, start, ROSTER_CHUNK_ROWS);
        const res = await rostersApi.stage(imp.id, { start, rows });
        imp = res.import;
        errors.push(...res.errors);
        duplicates.push(...res.duplicates);
        setStep({ kind: 'checking', file, done: Math.min(file.rowCount, start + rows.length) });
      }
      setDupAction('skip');
      setStep({ kind: 'checked', file, imp, errors, duplicates });
    } catch (e) {
      if (staging.current) void rostersApi.abandon(staging.current).catch(() => undefined);
      staging.current = null;
      setStep({ kind: 'mapping', file });
      void message.error(t('rosters.failed', { reason: errorText(t, e) }));
    }
  };

  const commit = (s: Extract<Step, { kind: 'checked' }>) => {
    const dups = s.duplicates.length;
    modal.confirm({
      title: t('rosters.confirmTitle'),
      content: t('rosters.confirmBody', {
        fresh: s.imp.okRows,
        dupText: t(dupAction === 'skip' ? 'rosters.dupSkip' : 'rosters.dupUpdate', { n: dups }),
      }),
      okButtonProps: { 'data-testid': 'roster-confirm-ok' } as ButtonProps,
      onOk: async () => {
        setStep({ kind: 'committing', file: s.file, imp: s.imp });
        try {
          const imp = await rostersApi.commit(s.imp.id, { totalRows: s.file.rowCount, duplicates: dupAction, exceptRows: [] });
          staging.current = null;
          worker.current?.terminate();
          worker.current = null;
          setStep({ kind: 'done', imp });
        } catch (e) {
          setStep(s);
          void message.error(t('rosters.failed', { reason: errorText(t, e) }));
        }
      },
    });
  };

  const fieldLabel = (f: RosterField | null) => (f ? t(`rosterFields.${f}`) : '—');

  return (
    <div className="page" style={{ maxWidth: 1100 }}>
      <div className="toolbar">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('rosters.title')}
        </Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t('rosters.intro')}</Typography.Paragraph>

      {step.kind === 'pick' && (
        <div data-testid="roster-pick">
          {step.problem && <Alert type="error" showIcon title={step.problem} style={{ marginBottom: 12 }} data-testid="roster-problem" />}
          <Upload.Dragger
            accept=".xlsx,.csv"
            multiple={false}
            showUploadList={false}
            beforeUpload={(f) => {
              read(f);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('rosters.pick')}</p>
            <p className="ant-upload-hint">{t('rosters.pickHint', { max: ROSTER_MAX_ROWS })}</p>
          </Upload.Dragger>
        </div>
      )}

      {step.kind === 'reading' && (
        <div data-testid="roster-reading">
          <Typography.Text>
            {t('rosters.reading')} {step.name}
          </Typography.Text>
          <Progress percent={Math.round(step.fraction * 100)} status="active" />
        </div>
      )}

      {(step.kind === 'mapping' || step.kind === 'checking') && (
        <MappingStep
          file={step.file}
          mapping={mapping}
          setMapping={setMapping}
          busy={step.kind === 'checking'}
          onCheck={() => void check(step.file)}
          onCancel={startOver}
          fieldLabel={fieldLabel}
        />
      )}
      {step.kind === 'checking' && (
        <div style={{ marginTop: 12 }} data-testid="roster-progress">
          <Typography.Text>{t('rosters.checking', { done: step.done, total: step.file.rowCount })}</Typography.Text>
          <Progress percent={Math.floor((step.done / step.file.rowCount) * 100)} status="active" />
        </div>
      )}

      {step.kind === 'checked' && step.imp.errorRows > 0 && (
        <div data-testid="roster-errors">
          <Alert
            type="error"
            showIcon
            title={t('rosters.errorsTitle', { rows: step.imp.errorRows })}
            description={t('rosters.errorsHint')}
            style={{ marginBottom: 12 }}
          />
          <Table<RosterRowError>
            size="small"
            rowKey={(e, i) => `${e.row}-${e.field ?? ''}-${e.code}-${i ?? 0}`}
            dataSource={step.errors}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            columns={[
              { title: t('rosters.row'), dataIndex: 'row', width: 80 },
              { title: t('rosters.field'), key: 'field', width: 140, render: (_, e) => fieldLabel(e.field) },
              { title: t('rosters.problem'), key: 'code', render: (_, e) => t(`rosterErrors.${e.code}`, { otherRow: e.otherRow ?? '' }) },
              { title: t('rosters.value'), dataIndex: 'value', render: (v: string | null) => v ?? '' },
            ]}
          />
          <Button onClick={startOver} data-testid="roster-start-over">
            {t('rosters.startOver')}
          </Button>
        </div>
      )}

      {((step.kind === 'checked' && step.imp.errorRows === 0) || step.kind === 'committing') && (
        <div data-testid="roster-ok">
          <Alert
            type="success"
            showIcon
            title={t('rosters.okTitle', { total: step.file.rowCount, fresh: step.imp.okRows, dups: step.imp.duplicateRows })}
            style={{ marginBottom: 12 }}
          />
          {step.kind === 'checked' && step.duplicates.length > 0 && (
            <div style={{ marginBottom: 12 }} data-testid="roster-duplicates">
              <Typography.Title level={5}>{t('rosters.duplicates')}</Typography.Title>
              <Typography.Paragraph type="secondary">{t('rosters.duplicatesHint')}</Typography.Paragraph>
              <Table<RosterDuplicate>
                size="small"
                rowKey="row"
                dataSource={step.duplicates}
                pagination={{ pageSize: 10, showSizeChanger: false }}
                columns={[
                  { title: t('rosters.row'), dataIndex: 'row', width: 80 },
                  { title: t('rosterFields.name'), dataIndex: 'name' },
                  { title: t('rosterFields.idNumber'), dataIndex: 'idNumberMasked' },
                  { title: t('rosters.registeredAs'), key: 'existing', render: (_, d) => d.existing?.name ?? t('rosters.otherCanteen') },
                ]}
              />
              <Space>
                <Typography.Text>{t('rosters.dupAction')}</Typography.Text>
                <Radio.Group value={dupAction} onChange={(e) => setDupAction(e.target.value as RosterDuplicateAction)} data-testid="roster-dup-action">
                  <Radio value="skip">{t('rosters.skip')}</Radio>
                  <Radio value="update">{t('rosters.update')}</Radio>
                </Radio.Group>
              </Space>
            </div>
          )}
          <Space>
            <Button type="primary" loading={step.kind === 'committing'} onClick={() => step.kind === 'checked' && commit(step)} data-testid="roster-confirm">
              {step.kind === 'committing' ? t('rosters.committing') : t('rosters.confirm')}
            </Button>
            <Button onClick={startOver} disabled={step.kind === 'committing'}>
              {t('common.cancel')}
            </Button>
          </Space>
        </div>
      )}

      {step.kind === 'done' && (
        <Result
          status="success"
          title={t('rosters.doneTitle')}
          subTitle={t('rosters.doneBody', { created: step.imp.createdRows, updated: step.imp.updatedRows, skipped: step.imp.skippedRows })}
          extra={
            <Button type="primary" onClick={startOver} data-testid="roster-another">
              {t('rosters.another')}
            </Button>
          }
          data-testid="roster-done"
        />
      )}
    </div>
  );
}

function MappingStep(props: {
  file: ParsedFile;
  mapping: (RosterField | null)[];
  setMapping: (m: (RosterField | null)[]) => void;
  busy: boolean;
  onCheck: () => void;
  onCancel: () => void;
  fieldLabel: (f: RosterField | null) => string;
}) {
  const { t } = useTranslation();
  const { file, mapping, setMapping, busy } = props;
  const missing = ROSTER_REQUIRED_FIELDS.filter((f) => !mapping.includes(f));
  const sample = file.sample;
  const options = [
    { value: '', label: t('rosters.skipColumn') },
    ...ROSTER_FIELDS.map((f) => ({ value: f, label: props.fieldLabel(f), disabled: mapping.includes(f) })),
  ];
  return (
    <div data-testid="roster-mapping">
      <Space size="large" style={{ marginBottom: 8 }}>
        <Typography.Text>
          {t('rosters.file')}
          {t('common.colon')}
          <b>{file.name}</b>
        </Typography.Text>
        <Typography.Text>
          {t('rosters.rows')}
          {t('common.colon')}
          <b data-testid="roster-row-count">{file.rowCount}</b>
        </Typography.Text>
      </Space>
      <Typography.Paragraph type="secondary">{t('rosters.mappingHint')}</Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        rowKey="i"
        dataSource={file.headers.map((h, i) => ({ i, h }))}
        columns={[
          { title: t('rosters.column'), dataIndex: 'h', width: 200, render: (h: string, r) => h || `第${r.i + 1}列` },
          {
            title: t('rosters.field'),
            key: 'field',
            width: 200,
            render: (_, r) => (
              <Select
                style={{ width: 180 }}
                value={mapping[r.i] ?? ''}
                options={options}
                disabled={busy}
                aria-label={`${t('rosters.field')} ${r.h}`}
                data-testid={`roster-map-${r.i}`}
                onChange={(v: string) => setMapping(mapping.map((m, j) => (j === r.i ? ((v || null) as RosterField | null) : m)))}
              />
            ),
          },
          {
            title: t('rosters.sample'),
            key: 'sample',
            render: (_, r) => (
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 480 }}>
                {sample
                  .map((s) => s.cells[r.i] ?? '')
                  .filter(Boolean)
                  .join('；')}
              </Typography.Text>
            ),
          },
        ]}
      />
      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          title={t('rosters.missingRequired', { fields: missing.map((f) => props.fieldLabel(f)).join(t('common.listSep')) })}
          data-testid="roster-missing"
        />
      )}
      <Space style={{ marginTop: 12 }}>
        <Button type="primary" disabled={missing.length > 0} loading={busy} onClick={props.onCheck} data-testid="roster-check">
          {t('rosters.check')}
        </Button>
        <Button onClick={props.onCancel} disabled={busy}>
          {t('rosters.startOver')}
        </Button>
      </Space>
    </div>
  );
}
