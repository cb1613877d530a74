import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n';

// Only what the dashboards draw is bundled (tree-shaken ECharts): bars, lines, pies, and the SVG renderer (crisp, small).
use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

export const PALETTE = ['#1d5fbf', '#f2a93b', '#2fa37a', '#d9534f', '#7a5cc7', '#3bb3c3', '#8c8c8c', '#c77a2f'];

/**
 * One ECharts instance, drawn at its box's size and redrawn when that changes; the figures it draws are also offered as a
 * table (see ChartCard). The chart is made when the box is first laid out, at the size the browser reports (a
 * ResizeObserver), rather than at mount with ECharts measuring the box itself: a dashboard opening ten charts had the
 * browser lay out the whole page again for each of them. The first drawing is not animated either (ten at once took
 * frames from the rest of the page); later changes, another month, are.
 */
export const EChart = ({ option, height = 280, label }: { option: ChartOption; height?: number; label: string }) => {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);
  const latest = useRef(option);
  latest.current = option;
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    let drawn = '';
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      if (`${width}x${height}` === drawn) return;
      drawn = `${width}x${height}`;
      if (chart.current) {
        chart.current.resize({ width, height });
      } else {
        chart.current = init(box, undefined, { renderer: 'svg', width, height });
        chart.current.setOption({ color: PALETTE, animation: false, ...latest.current }, true);
      }
    });
    observer.observe(box);
    return () => {
      observer.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  // A card re-renders whenever any of its queries changes state, with an option equal to the last; redrawing a chart
  // costs far more than comparing. Formatters are compared by their source, with the language they format in.
  const { language } = useI18n();
  const key = `${language}:${JSON.stringify(option, (_k, v) => (typeof v === 'function' ? String(v) : v))}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the option
  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, animationDuration: 300, ...latest.current }, true);
  }, [key]);
  return <div ref={ref} style={{ height }} role="img" aria-label={label} className="echart" />;
};
