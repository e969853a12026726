import { formatYuan } from '@yishi/shared/money';
import { LineChart as ELine } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([ELine, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface DaySeries {
  name: string;
  /** Integer fen per day; shown as yuan. */
  data: number[];
  color: string;
  dashed?: boolean;
}

/** Subsidy per day, baseline against simulated (amounts stay integer fen; only the labels are yuan). */
export function DayChart({ days, series, height = 260 }: { days: string[]; series: DaySeries[]; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current);
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        grid: { left: 72, right: 16, top: 36, bottom: 28 },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? formatYuan(v) : String(v)) },
        legend: { top: 0, right: 0 },
        xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatYuan(Math.round(v)) } },
        series: series.map((s) => ({
          type: 'line',
          name: s.name,
          data: s.data,
          smooth: false,
          symbolSize: 5,
          itemStyle: { color: s.color },
          lineStyle: { color: s.color, type: s.dashed ? 'dashed' : 'solid', width: 2 },
        })),
      },
      true,
    );
  }, [days, series]);

  return <div ref={el} style={{ width: '100%', height }} data-testid="policy-simulation-chart" />;
}
