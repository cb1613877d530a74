/** RFC 4180 CSV: quoted where needed, CRLF lines, a BOM so that spreadsheet programs read UTF-8 (Chinese names) right. */
export const toCsv = (header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string => {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    // A leading =, +, - or @ would be run as a formula by a spreadsheet: neutralise it.
    const safe = /^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
};

export const downloadCsv = (name: string, header: readonly string[], rows: readonly (readonly (string | number | null)[])[]) => {
  const url = URL.createObjectURL(new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.csv`;
  a.click();
  URL.revokeObjectURL(url);
};
