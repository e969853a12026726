import { BarChart as EBar, LineChart as ELine } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, type RefObject } from 'react';

echarts.use([EBar, ELine, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type EChartOption = Parameters<echarts.ECharts['setOption']>[0];

/** An echarts instance bound to a div: created once, resized with its box, disposed on unmount; `option` replaces the chart. */
export function useEChart(option: EChartOption): RefObject<HTMLDivElement | null> {
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
    chart.current?.setOption(option, true);
  }, [option]);

  return el;
}
