import { useMemo } from 'react';
import { useEChart } from './useEChart';

export interface BarSeries {
  name: string;
  data: number[];
  color?: string;
}

/** A small grouped bar chart (categories × series). */
export function BarChart({ categories, series, height = 220 }: { categories: string[]; series: BarSeries[]; height?: number }) {
  const option = useMemo(
    () => ({
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      tooltip: { trigger: 'axis' as const },
      legend: { top: 0, right: 0 },
      xAxis: { type: 'category' as const, data: categories },
      yAxis: { type: 'value' as const, minInterval: 1 },
      series: series.map((s) => ({ type: 'bar' as const, name: s.name, data: s.data, itemStyle: s.color ? { color: s.color } : undefined, barMaxWidth: 36 })),
    }),
    [categories, series],
  );
  const el = useEChart(option);
  return <div ref={el} style={{ width: '100%', height }} />;
}
