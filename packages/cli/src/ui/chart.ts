/** A horizontal bar chart for terminals: one labelled bar per value, scaled to the largest. */
export const renderBarChart = (rows: readonly { label: string; value: number; display?: string }[], options: { width?: number } = {}): string => {
  const width = options.width ?? 40;
  const max = Math.max(0, ...rows.map((r) => r.value));
  const labelWidth = Math.max(0, ...rows.map((r) => r.label.length));
  return rows
    .map((r) => {
      const exact = max > 0 ? (r.value / max) * width : 0;
      const full = Math.floor(exact);
      const partial = exact - full >= 0.5 ? '▌' : '';
      return `${r.label.padEnd(labelWidth)}  ${'█'.repeat(full)}${partial}${' '.repeat(Math.max(0, width - full - partial.length))}  ${r.display ?? String(r.value)}`;
    })
    .join('\n');
};
