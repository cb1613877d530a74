/** Month arithmetic on YYYY-MM strings (UTC calendar months; no time zone can shift them). */
export const addMonths = (month: string, n: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

export const firstDay = (month: string) => `${month}-01`;

export const lastDay = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

export const isMonth = (s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
