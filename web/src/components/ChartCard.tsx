import { Card, Segmented, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useEChart, type EChartOption } from './useEChart';

function Chart({ option, summaryId, height }: { option: EChartOption; summaryId: string; height: number }) {
  const el = useEChart(option);
  // The canvas says nothing to a screen reader: the summary under it does, and the table view has every figure.
  return <div ref={el} role="img" aria-labelledby={summaryId} style={{ width: '100%', height }} />;
}

/**
 * A chart with its text alternative: a one-line summary read by screen readers, and a table of the same figures
 * a click away (图表 / 表格).
 */
export function ChartCard<Row extends object>({
  title,
  extra,
  option,
  summary,
  columns,
  rows,
  rowKey,
  height = 260,
  testId,
}: {
  title: ReactNode;
  extra?: ReactNode;
  option: EChartOption;
  summary: string;
  columns: ColumnsType<Row>;
  rows: Row[];
  rowKey: keyof Row & string;
  height?: number;
  testId: string;
}) {
  const { t } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <Card
      size="small"
      title={title}
      data-testid={testId}
      extra={
        <span style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}>
          {extra}
          <Segmented<'chart' | 'table'>
            size="small"
            aria-label={t('charts.viewAs')}
            value={view}
            onChange={setView}
            options={[
              { value: 'chart', label: <span data-testid={`${testId}-as-chart`}>{t('charts.chart')}</span> },
              { value: 'table', label: <span data-testid={`${testId}-as-table`}>{t('charts.table')}</span> },
            ]}
          />
        </span>
      }
      styles={{ body: { padding: 8 } }}
    >
      {view === 'chart' ? (
        <Chart option={option} summaryId={`${testId}-summary`} height={height} />
      ) : (
        // A region that scrolls is one stop for the keyboard (arrows scroll it), named by the chart's summary.
        <div role="region" tabIndex={0} aria-labelledby={`${testId}-summary`} style={{ maxHeight: height, overflow: 'auto' }}>
          <Table<Row> data-testid={`${testId}-table`} size="small" rowKey={rowKey} columns={columns} dataSource={rows} pagination={false} />
        </div>
      )}
      <div id={`${testId}-summary`} className="muted small" style={{ padding: '4px 4px 0' }} data-testid={`${testId}-summary`}>
        {summary}
      </div>
    </Card>
  );
}
