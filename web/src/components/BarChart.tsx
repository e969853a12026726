import { BarChart as EBar } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([EBar, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface BarSeries {
  name: string;
  data: number[];
  color?: string;
}

/** A small grouped bar chart (categories × series). */
export function BarChart({ categories, series, height = 220 }: { categories: string[]; series: BarSeries[]; height?: number }) {
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
        grid: { left: 40, right: 16, top: 32, bottom: 28 },
        tooltip: { trigger: 'axis' },
        legend: { top: 0, right: 0 },
        xAxis: { type: 'category', data: categories },
        yAxis: { type: 'value', minInterval: 1 },
        series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, itemStyle: s.color ? { color: s.color } : undefined, barMaxWidth: 36 })),
      },
      true,
    );
  }, [categories, series]);

  return <div ref={el} style={{ width: '100%', height }} />;
}
