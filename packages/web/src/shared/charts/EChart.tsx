import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the dashboards draw is bundled (tree-shaken ECharts): bars, lines, pies, and the SVG renderer (crisp, small).
use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

export const PALETTE = ['#1d5fbf', '#f2a93b', '#2fa37a', '#d9534f', '#7a5cc7', '#3bb3c3', '#8c8c8c', '#c77a2f'];

/** One ECharts instance, resized with its box; the figures it draws are also offered as a table (see ChartCard). */
export const EChart = ({ option, height = 280, label }: { option: ChartOption; height?: number; label: string }) => {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const instance = init(ref.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, animationDuration: 300, ...option }, true);
  }, [option]);
  return <div ref={ref} style={{ height }} role="img" aria-label={label} className="echart" />;
};
