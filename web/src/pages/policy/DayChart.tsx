import { formatYuan } from '@yishi/shared/money';
import { useMemo } from 'react';
import { useEChart } from '../../components/useEChart';

export interface DaySeries {
  name: string;
  /** Integer fen per day; shown as yuan. */
  data: number[];
  color: string;
  dashed?: boolean;
}

/** Subsidy per day, baseline against simulated (amounts stay integer fen; only the labels are yuan). */
export function DayChart({ days, series, height = 260 }: { days: string[]; series: DaySeries[]; height?: number }) {
  const option = useMemo(
    () => ({
      grid: { left: 72, right: 16, top: 36, bottom: 28 },
      tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => (typeof v === 'number' ? formatYuan(v) : String(v)) },
      legend: { top: 0, right: 0 },
      xAxis: { type: 'category' as const, data: days.map((d) => d.slice(5)) },
      yAxis: { type: 'value' as const, axisLabel: { formatter: (v: number) => formatYuan(Math.round(v)) } },
      series: series.map((s) => ({
        type: 'line' as const,
        name: s.name,
        data: s.data,
        smooth: false,
        symbolSize: 5,
        itemStyle: { color: s.color },
        lineStyle: { color: s.color, type: s.dashed ? ('dashed' as const) : ('solid' as const), width: 2 },
      })),
    }),
    [days, series],
  );
  const el = useEChart(option);
  return <div ref={el} style={{ width: '100%', height }} data-testid="policy-simulation-chart" />;
}
