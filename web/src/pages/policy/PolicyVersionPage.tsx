import { ArrowLeftOutlined, CheckCircleOutlined, CloudUploadOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { formatYuan } from '@yishi/shared/money';
import { describePolicy, parsePolicy } from '@yishi/shared/policy';
import { Alert, App, Button, Card, Collapse, Descriptions, Input, Modal, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import {
  policyApi,
  policyKeys,
  usePolicies,
  usePolicy,
  type PolicyLayerDescription,
  type PolicyVersionDetail,
  type PolicyVersionSummary,
} from '../../api/policy';
import { useAreas, useCanteens } from '../../api/sites';
import { ErrorResult, FullPageSpin } from '../../components/PageState';
import { errorText } from '../../lib/errors';
import { fmtDateTime } from '../../lib/format';
import { serverNow } from '../../lib/serverClock';
import { FrozenTag, LevelTag, StatusTag, useDates } from './common';
import { docText, getAt, isRecord, pathInWords } from './doc';
import { FieldsContext } from './fields';
import { placeIssues, type Issue } from './issues';
import { useNewVersion } from './PolicyListPage';
import './policy.css';
import { PolicySimulation } from './PolicySimulation';
import { fieldPathsOf, StructuredEditor } from './StructuredEditor';
import { useAction } from '../../api/action';
import { usePolicyWords } from '../../lib/policyNames';

function useLang(): 'zh' | 'en' {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh';
}

/** One layer in plain language, with its JSON behind "technical details". */
function LayerCard({ layer, index, json }: { layer: PolicyLayerDescription; index: number; json: unknown }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <Card
      size="small"
      data-testid={`policy-layer-${layer.id}`}
      title={
        <Space size={8} wrap>
          <span className="muted">{t('policy.layerN', { n: index + 1 })}</span>
          <b>{lang === 'en' ? (layer.nameEn ?? layer.name) : layer.name}</b>
          <Tag color={layer.kind === 'meal' ? 'green' : 'blue'}>{t(`policy.kinds.${layer.kind}`, { defaultValue: layer.kind })}</Tag>
        </Space>
      }
      extra={<span className="small muted">{t(`policy.kindHints.${layer.kind}`, { defaultValue: '' })}</span>}
      style={{ marginBottom: 12 }}
    >
      <Typography.Paragraph style={{ fontSize: 15, marginBottom: 8 }} data-testid={`policy-layer-text-${layer.id}`}>
        {lang === 'en' ? layer.en : layer.zh}
      </Typography.Paragraph>
      <div className="small">
        <span className="muted">
          {t('policy.payer')}
          {lang === 'en' ? ': ' : '：'}
        </span>
        {lang === 'en' ? (layer.payerEn ?? layer.payer) : layer.payer}
      </div>
      <Collapse
        ghost
        size="small"
        style={{ marginTop: 4 }}
        items={[
          {
            key: 'json',
            label: <span className="small">{t('policy.techDetails')}</span>,
            children: <pre className="mono policy-json">{JSON.stringify(json, null, 2)}</pre>,
          },
        ]}
      />
    </Card>
  );
}

interface DraftState {
  doc: unknown;
  text: string;
  jsonError: string | null;
}

/** Versions of the same policy that publishing `v` ends (or retires, when they would not have started). */
function supersededBy(v: Pick<PolicyVersionSummary, 'id' | 'policyKey' | 'effectiveFrom'>, all: PolicyVersionSummary[]) {
  const endsOn = dayjs(v.effectiveFrom).subtract(1, 'day').format('YYYY-MM-DD');
  return all
    .filter((o) => o.policyKey === v.policyKey && o.id !== v.id && o.status === 'published' && (o.effectiveTo === null || o.effectiveTo >= v.effectiveFrom))
    .map((o) => ({ version: o, endsOn, retires: endsOn < o.effectiveFrom }));
}

/** The issuing area's name and the canteens of its area (for named canteens), from what the console already loads. */
function usePolicyPlace(areaCode: string) {
  const areas = useAreas();
  const canteens = useCanteens();
  const areaName = areas.data?.find((a) => a.code === areaCode)?.name ?? null;
  const list = useMemo(
    () =>
      (canteens.data ?? []).filter((c) => c.streetCode.startsWith(areaCode.slice(0, Math.min(areaCode.length, 9)))).map((c) => ({ id: c.id, name: c.name })),
    [canteens.data, areaCode],
  );
  return { areaName, canteens: list };
}

/** The refusals of the server that concern the document, as issues (save: the schema; publish: a start in the past). */
function serverIssues(e: unknown): Issue[] {
  if (!(e instanceof ApiError)) return [];
  const raw = e.details.issues;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((i: unknown) => {
    if (typeof i !== 'object' || i === null) return [];
    const r = i as Record<string, unknown>;
    if (typeof r.path !== 'string' || typeof r.message !== 'string') return [];
    return [
      {
        path: r.path,
        message: r.message,
        code: typeof r.code === 'string' ? r.code : undefined,
        params: isRecord(r.params) ? (r.params as Record<string, string | number>) : undefined,
      },
    ];
  });
}

/** The editor of a draft: structured fields and the JSON view over one document, checked as the author types. */
function DraftEditor({
  detail,
  all,
  onPublished,
}: {
  detail: PolicyVersionDetail;
  all: PolicyVersionSummary[];
  onPublished: (superseded: { id: string; version: number }[]) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const cardRef = useRef<HTMLDivElement>(null);
  const savedText = useMemo(() => docText(detail.document), [detail.document]);
  const [draft, setDraft] = useState<DraftState>(() => ({ doc: detail.document, text: savedText, jsonError: null }));
  const [tab, setTab] = useState('structured');
  const [bad, setBad] = useState<ReadonlySet<string>>(new Set());
  const [refused, setRefused] = useState<{ text: string; issues: Issue[] } | null>(null);
  const [publishOpen, setPublishOpen] = useState(false);
  const place = usePolicyPlace(detail.areaCode);

  useEffect(() => {
    if (params.get('edit') === '1') cardRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [params]);

  const onBad = useCallback((path: string, isBad: boolean) => {
    setBad((prev) => {
      if (prev.has(path) === isBad) return prev;
      const next = new Set(prev);
      if (isBad) next.add(path);
      else next.delete(path);
      return next;
    });
  }, []);

  const setDoc = (doc: unknown) => {
    setDraft({ doc, text: docText(doc), jsonError: null });
    setRefused(null);
  };
  const setJson = (text: string) => {
    setRefused(null);
    try {
      setDraft({ doc: JSON.parse(text) as unknown, text, jsonError: null });
    } catch (e) {
      setDraft((d) => ({ ...d, text, jsonError: e instanceof Error ? e.message : String(e) }));
    }
  };

  // Checked here with the shared schema (the server runs the same one on save), so every keystroke is checked.
  const parsed = useMemo(() => (draft.jsonError ? null : parsePolicy(draft.doc)), [draft]);
  const ok = parsed?.ok === true && bad.size === 0;
  const dirty = draft.jsonError !== null || docText(draft.doc) !== savedText;
  const fieldPaths = useMemo(() => (tab === 'structured' ? fieldPathsOf(draft.doc) : []), [draft.doc, tab]);
  const { byField, rest } = useMemo(
    () => placeIssues(t, [...(parsed && !parsed.ok ? parsed.issues : []), ...(refused?.issues ?? [])], fieldPaths),
    [parsed, refused, fieldPaths, t],
  );
  const description = useMemo(() => {
    if (!parsed?.ok) return null;
    const canteenNames = Object.fromEntries(place.canteens.map((c) => [c.id, c.name]));
    const layers = new Map(parsed.policy.layers.map((l) => [l.id, l]));
    return describePolicy(parsed.policy, lang, { ...(place.areaName ? { areaName: place.areaName } : {}), canteenNames }).map((l) => ({
      ...l,
      name: lang === 'en' ? (layers.get(l.id)?.nameEn ?? l.name) : l.name,
    }));
  }, [parsed, lang, place]);
  const fieldsCtx = useMemo(() => ({ issues: byField, onBad, readOnly: false }), [byField, onBad]);

  const save = useAction({
    mutationFn: () => policyApi.save(detail.id, draft.doc),
    onSuccess: (saved) => {
      qc.setQueryData(policyKeys.detail(saved.id), saved);
      void qc.invalidateQueries({ queryKey: policyKeys.list });
      setDraft({ doc: saved.document, text: docText(saved.document), jsonError: null });
      message.success(t('policy.editor.saved'));
    },
    onError: (e) => setRefused({ text: errorText(t, e), issues: serverIssues(e) }),
  });

  const effectiveFrom = parsed?.ok ? parsed.policy.effectiveFrom : detail.effectiveFrom;
  const superseded = useMemo(() => supersededBy({ ...detail, effectiveFrom }, all), [detail, effectiveFrom, all]);
  const publish = useAction({
    mutationFn: () => policyApi.publish(detail.id),
    onSuccess: async (done) => {
      setPublishOpen(false);
      onPublished(superseded.map((s) => ({ id: s.version.id, version: s.version.version })));
      qc.setQueryData(policyKeys.detail(done.id), done);
      await qc.invalidateQueries({ queryKey: policyKeys.all });
      message.success(t('policy.publish.done'));
    },
    onError: (e) => setRefused({ text: errorText(t, e), issues: serverIssues(e) }),
  });

  const saveBlocked = !dirty ? null : draft.jsonError ? t('policy.validation.jsonFirst') : !ok ? t('policy.validation.fixFirst') : null;
  const publishBlocked = dirty ? t('policy.publish.saveFirst') : !ok ? t('policy.publish.invalid') : null;
  const issueCount = [...byField.values()].reduce((n, x) => n + x.length, 0) + rest.length + bad.size;

  return (
    <div ref={cardRef}>
      <Card
        size="small"
        title={t('policy.editor.title')}
        className="section"
        extra={
          <Space>
            {dirty && <Tag color="orange">{t('policy.editor.dirty')}</Tag>}
            <Button disabled={!dirty} onClick={() => setDoc(detail.document)} data-testid="policy-reset">
              {t('policy.editor.reset')}
            </Button>
            <Button
              type="primary"
              icon={<SaveOutlined />}
              disabled={!dirty || !ok}
              loading={save.isPending}
              onClick={() => save.mutate()}
              title={saveBlocked ?? undefined}
              data-testid="policy-save"
            >
              {t('policy.editor.save')}
            </Button>
            <Button
              icon={<CloudUploadOutlined />}
              disabled={!!publishBlocked || !detail.editable}
              onClick={() => setPublishOpen(true)}
              title={publishBlocked ?? undefined}
              data-testid="policy-publish"
            >
              {t('policy.publish.button')}
            </Button>
          </Space>
        }
      >
        {refused && (
          <Alert
            type="error"
            showIcon
            closable
            onClose={() => setRefused(null)}
            style={{ marginBottom: 12 }}
            title={refused.text}
            data-testid="policy-refused"
          />
        )}
        <FieldsContext.Provider value={fieldsCtx}>
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              {
                key: 'structured',
                label: <span data-testid="policy-tab-structured">{t('policy.editor.structured')}</span>,
                children: <StructuredEditor doc={draft.doc} onChange={setDoc} canteens={place.canteens} areaName={place.areaName} />,
              },
              {
                key: 'json',
                label: <span data-testid="policy-tab-json">{t('policy.editor.json')}</span>,
                children: (
                  <>
                    <Typography.Paragraph type="secondary" className="small">
                      {t('policy.editor.jsonHint')}
                    </Typography.Paragraph>
                    <Input.TextArea
                      className="mono policy-json-editor"
                      value={draft.text}
                      onChange={(e) => setJson(e.target.value)}
                      autoSize={{ minRows: 16, maxRows: 40 }}
                      spellCheck={false}
                      aria-label={t('policy.editor.json')}
                      status={draft.jsonError ? 'error' : undefined}
                      data-testid="policy-edit-json"
                    />
                    {draft.jsonError && (
                      <div className="negative small" data-testid="policy-json-error">
                        {t('policy.editor.jsonSyntax', { message: draft.jsonError })}
                      </div>
                    )}
                  </>
                ),
              },
            ]}
          />
        </FieldsContext.Provider>
        <div className="policy-validation" data-testid="policy-validation" data-ok={ok ? 'true' : 'false'} data-pending="false" aria-live="polite">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('policy.validation.title')}{' '}
            {draft.jsonError ? (
              <Tag color="red">{t('policy.validation.jsonBad')}</Tag>
            ) : ok ? (
              <Tag color="green" icon={<CheckCircleOutlined />}>
                {t('policy.validation.ok')}
              </Tag>
            ) : (
              <Tag color="red">{t('policy.validation.bad', { count: issueCount })}</Tag>
            )}
          </Typography.Title>
          {rest.length > 0 && (
            <ul className="policy-issues" data-testid="policy-issues">
              {rest.map((i, k) => (
                <li key={`${i.path}-${k}`}>
                  <b>{pathInWords(i.path, t)}</b>
                  {lang === 'en' ? ': ' : '：'}
                  {i.text}
                </li>
              ))}
            </ul>
          )}
          {byField.size > 0 && (
            <div className="small muted">{t('policy.validation.seeFields', { count: [...byField.values()].reduce((n, x) => n + x.length, 0) })}</div>
          )}
          <div className="small muted" style={{ marginTop: 8 }}>
            {t('policy.validation.preview')}
          </div>
          {description ? (
            <ol className="policy-preview" data-testid="policy-preview">
              {description.map((l) => (
                <li key={l.id} data-testid={`policy-preview-${l.id}`}>
                  <b>{l.name}</b>
                  {lang === 'en' ? ': ' : '：'}
                  {l.text}
                </li>
              ))}
            </ol>
          ) : (
            <div className="muted small">{t('policy.validation.previewInvalid')}</div>
          )}
        </div>
      </Card>
      <div className="section">
        <PolicySimulation versionId={detail.id} all={all} disabledReason={dirty ? t('policy.simulation.saveFirst') : undefined} />
      </div>
      <PublishDialog
        open={publishOpen}
        detail={detail}
        superseded={superseded}
        loading={publish.isPending}
        refused={refused?.text ?? null}
        onCancel={() => setPublishOpen(false)}
        onOk={() => publish.mutate()}
      />
    </div>
  );
}

/** The month a publish dialog measures the effect on: the last full month by the server's clock. */
function lastFullMonth(): string {
  const ym = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date(serverNow())).slice(0, 7);
  return dayjs(`${ym}-01`).subtract(1, 'month').format('YYYY-MM');
}

/**
 * Publishing: what it will do, in words and figures. The figures come from simulating the last full month of real
 * orders with this version in place of the one in force: what each payer would pay a month (and a year at that
 * rate), and how many elders would pay more or less.
 */
function PublishDialog({
  open,
  detail,
  superseded,
  loading,
  refused,
  onCancel,
  onOk,
}: {
  open: boolean;
  detail: PolicyVersionDetail;
  superseded: ReturnType<typeof supersededBy>;
  loading: boolean;
  refused: string | null;
  onCancel: () => void;
  onOk: () => void;
}) {
  const { t } = useTranslation();
  const words = usePolicyWords();
  const month = useMemo(lastFullMonth, []);
  const effect = useQuery({
    queryKey: ['policies', 'publish-effect', detail.id, month],
    queryFn: () => policyApi.simulate(detail.id, month),
    enabled: open,
    staleTime: 60_000,
    retry: false,
  });
  const d = effect.data?.drafts[0];
  const changed = d?.byPayer.filter((p) => p.simulatedFen !== p.publishedFen) ?? [];
  return (
    <Modal
      open={open}
      width={720}
      title={t('policy.publish.title', { n: detail.version })}
      onCancel={onCancel}
      footer={[
        <Button key="cancel" onClick={onCancel}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={loading} onClick={onOk} data-testid="policy-publish-confirm">
          {t('policy.publish.confirm')}
        </Button>,
      ]}
    >
      <div data-testid="policy-publish-dialog">
        <Typography.Paragraph strong style={{ fontSize: 15 }}>
          {t('policy.publish.body', { date: detail.effectiveFrom })}
        </Typography.Paragraph>
        {detail.effectiveTo && <Typography.Paragraph>{t('policy.publish.until', { date: detail.effectiveTo })}</Typography.Paragraph>}
        {superseded.map((s) => (
          <Typography.Paragraph key={s.version.id}>
            {s.retires ? t('policy.publish.retires', { n: s.version.version }) : t('policy.publish.supersedes', { n: s.version.version, date: s.endsOn })}
          </Typography.Paragraph>
        ))}
        <Card
          size="small"
          title={t('policy.publish.effectTitle', { month })}
          data-testid="policy-publish-effect"
          data-ready={d ? 'true' : 'false'}
          style={{ marginBottom: 12 }}
          // The same height while the effect is computed and once it is shown, so the confirm button below never
          // moves under a pointer about to click it (a city month takes seconds); a long list scrolls inside.
          styles={{ body: { height: 168, overflowY: 'auto' } }}
        >
          {effect.isPending && <Spin />}
          {effect.isError && <Alert type="warning" showIcon title={t('policy.publish.effectFailed', { message: errorText(t, effect.error) })} />}
          {effect.data && d && (
            <>
              {effect.data.orders === 0 ? (
                <Typography.Paragraph>{t('policy.publish.noOrders', { month })}</Typography.Paragraph>
              ) : (
                <>
                  <Typography.Paragraph data-testid="policy-publish-people">
                    {t('policy.publish.people', { orders: effect.data.orders, more: d.eldersPayingMore, less: d.eldersPayingLess })}
                  </Typography.Paragraph>
                  {changed.length === 0 ? (
                    <Typography.Paragraph type="secondary">{t('policy.publish.noChange')}</Typography.Paragraph>
                  ) : (
                    <ul className="policy-effect" data-testid="policy-publish-payers">
                      {changed.map((p) => (
                        <li key={`${p.payer}|${p.kind}`}>
                          {t('policy.publish.payerLine', {
                            payer: words.payer(p.payer),
                            kind: t(`policy.kinds.${p.kind}`, { defaultValue: p.kind }),
                            from: formatYuan(p.publishedFen),
                            to: formatYuan(p.simulatedFen),
                            year: formatYuan(p.yearSimulatedFen),
                            change: `${p.simulatedFen > p.publishedFen ? '+' : ''}${formatYuan(p.yearSimulatedFen - p.yearPublishedFen)}`,
                          })}
                        </li>
                      ))}
                    </ul>
                  )}
                  {effect.data.factsChanged.orders > 0 && (
                    <Typography.Paragraph type="secondary" className="small">
                      {t('policy.publish.factsApart', { n: effect.data.factsChanged.orders })}
                    </Typography.Paragraph>
                  )}
                </>
              )}
            </>
          )}
        </Card>
        {refused && <Alert type="error" showIcon title={refused} style={{ marginBottom: 12 }} data-testid="policy-publish-refused" />}
        <Typography.Paragraph type="secondary">{t('policy.publish.irreversible')}</Typography.Paragraph>
      </div>
    </Modal>
  );
}

/** After publishing: what happened to the versions it replaced (from the refetched list). */
function PublishedNote({ detail, versions, all }: { detail: PolicyVersionDetail; versions: { id: string; version: number }[]; all: PolicyVersionSummary[] }) {
  const { t } = useTranslation();
  const lines = versions.map((p) => {
    const now = all.find((a) => a.id === p.id);
    if (!now) return null;
    return now.status === 'retired'
      ? t('policy.publish.doneRetired', { n: p.version })
      : t('policy.publish.doneSuper', { n: p.version, date: now.effectiveTo ?? t('policy.openEnded') });
  });
  return (
    <Alert
      type="success"
      showIcon
      className="section"
      data-testid="policy-published-note"
      title={t('policy.publish.done')}
      description={[t('policy.publish.body', { date: detail.effectiveFrom }), ...lines.filter((l): l is string => l !== null)].map((l) => (
        <div key={l}>{l}</div>
      ))}
    />
  );
}

export function PolicyVersionPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const policy = usePolicy(id);
  const list = usePolicies();
  const newVersion = useNewVersion();
  const dates = useDates();
  const [published, setPublished] = useState<{ id: string; superseded: { id: string; version: number }[] } | null>(null);
  const d = policy.data;
  const all = useMemo(() => list.data ?? [], [list.data]);
  const siblings = useMemo(() => (d ? all.filter((v) => v.policyKey === d.policyKey).sort((a, b) => b.version - a.version) : []), [all, d]);

  if (policy.isError) return <ErrorResult error={policy.error} onRetry={() => void policy.refetch()} />;
  if (!d) return <FullPageSpin />;

  const author = d.canAuthor;
  const drafting = d.editable && d.status === 'draft';
  const docLayers = getAt(d.document, ['layers']);
  const historyColumns: ColumnsType<PolicyVersionSummary> = [
    {
      title: t('policy.version'),
      dataIndex: 'version',
      width: 90,
      render: (n: number, r) =>
        r.id === d.id ? (
          <b>{t('policy.versionN', { n })}</b>
        ) : (
          <Typography.Link onClick={() => void navigate(`/policy/${r.id}`)}>{t('policy.versionN', { n })}</Typography.Link>
        ),
    },
    {
      title: t('policy.status'),
      width: 180,
      render: (_v, r) => (
        <Space size={4}>
          <StatusTag status={r.status} />
          {r.frozen && <FrozenTag />}
        </Space>
      ),
    },
    { title: t('policy.effective'), render: (_v, r) => <span className="mono small">{dates(r)}</span> },
    { title: t('policy.publishedAt'), width: 170, render: (_v, r) => <span className="small">{fmtDateTime(r.publishedAt)}</span> },
  ];

  return (
    <div className="page" data-testid="policy-version" data-version-id={d.id}>
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => void navigate('/policy')} style={{ paddingLeft: 0 }}>
        {t('policy.back')}
      </Button>
      <Card size="small">
        <div className="toolbar" style={{ marginBottom: 4 }}>
          <Space size={8} wrap>
            <LevelTag level={d.level} />
            <Typography.Title level={4} style={{ margin: 0 }}>
              {d.name}
            </Typography.Title>
            <Tag>{t('policy.versionN', { n: d.version })}</Tag>
            <StatusTag status={d.status} testId="policy-status" />
            {d.frozen && <FrozenTag />}
          </Space>
          {d.status === 'published' && author && (
            <Button icon={<PlusOutlined />} loading={newVersion.isPending} onClick={() => newVersion.mutate(d.id)} data-testid={`policy-new-version-${d.id}`}>
              {t('policy.newVersion')}
            </Button>
          )}
        </div>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
          <Descriptions.Item label={t('policy.area')}>{d.areaName ?? d.areaCode}</Descriptions.Item>
          <Descriptions.Item label={t('policy.effective')}>
            <span className="mono" data-testid="policy-dates">
              {dates(d)}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('policy.publishedAt')}>{fmtDateTime(d.publishedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('policy.firstUsedAt')}>{fmtDateTime(d.firstUsedAt)}</Descriptions.Item>
        </Descriptions>
        {d.frozen && author && <Alert type="info" showIcon title={t('policy.frozenHint')} style={{ marginTop: 4 }} />}
        {!d.editable && !author && <Alert type="info" showIcon title={t('policy.readOnly')} style={{ marginTop: 4 }} />}
      </Card>

      {published && published.id === d.id && <PublishedNote detail={d} versions={published.superseded} all={all} />}
      <Typography.Title level={5} className="section">
        {t('policy.layers')}
      </Typography.Title>
      {d.layers.map((l, i) => (
        <LayerCard key={l.id} layer={l} index={i} json={Array.isArray(docLayers) ? docLayers[i] : undefined} />
      ))}

      {drafting && <DraftEditor key={d.id} detail={d} all={all} onPublished={(superseded) => setPublished({ id: d.id, superseded })} />}

      {author && !drafting && (
        <div className="section">
          <PolicySimulation versionId={d.id} all={all} />
        </div>
      )}

      {siblings.length > 1 && (
        <Card size="small" title={t('policy.history')} className="section">
          <Table<PolicyVersionSummary>
            rowKey="id"
            size="small"
            pagination={false}
            columns={historyColumns}
            dataSource={siblings}
            data-testid="policy-history"
            onRow={(r) => ({ 'data-testid': `policy-history-${r.id}` }) as HTMLAttributes<HTMLTableRowElement>}
          />
        </Card>
      )}
    </div>
  );
}
