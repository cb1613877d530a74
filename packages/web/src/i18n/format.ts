import type { Money } from '../api/client';

/** Formatting for one language: money, numbers, dates and percentages, never by hand. */
export interface Formats {
  readonly locale: string;
  money(m: Money | null | undefined): string;
  /** A money amount without the currency, for tables whose column header names it. */
  amount(m: Money): string;
  number(n: number | null | undefined, digits?: number): string;
  /** Basis points as a percentage: 1250 -> 12.5 %. */
  bps(bps: number | null | undefined): string;
  /** A ratio 0..1 as a percentage. */
  ratio(r: number | null | undefined, digits?: number): string;
  date(iso: string | null | undefined): string;
  dateTime(iso: string | null | undefined): string;
  month(yyyyMm: string): string;
}

const DASH = '–';

/** Minor units to an exact decimal string (no floating point), e.g. 123456 with 2 digits -> "1234.56". */
export const minorToDecimal = (amountMinor: number, digits: number): string => {
  const negative = amountMinor < 0;
  const s = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  const whole = digits ? s.slice(0, -digits) : s;
  return `${negative ? '-' : ''}${whole}${digits ? `.${s.slice(-digits)}` : ''}`;
};

const currencyDigits = new Map<string, number>();
export const digitsOf = (currency: string): number => {
  let d = currencyDigits.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    currencyDigits.set(currency, d);
  }
  return d;
};

/** A decimal string a person typed ("1234.5") to minor units, exactly; null when it is not a plain amount with at most `digits` decimals. */
export const decimalToMinor = (text: string, digits: number): number | null => {
  const m = /^\s*(-?)(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!m || (m[3] ?? '').length > digits) return null;
  const minor = Number(`${m[2]}${(m[3] ?? '').padEnd(digits, '0')}`);
  return Number.isSafeInteger(minor) ? (m[1] ? -minor : minor) : null;
};

/** Money as a decimal number in major units, for charts only (their axes need numbers); never for arithmetic. */
export const moneyForChart = (m: Money): number => Number(minorToDecimal(m.amountMinor, digitsOf(m.currency)));

/**
 * Formats are made once per language and shared: an `Intl` formatter costs far more to make than to use (each screen's
 * components used to make their own, several per component, which on the dashboard came to a quarter of a second).
 */
const formatsByLocale = new Map<string, Formats>();
export const createFormats = (locale: string): Formats => {
  let formats = formatsByLocale.get(locale);
  if (!formats) {
    formats = makeFormats(locale);
    formatsByLocale.set(locale, formats);
  }
  return formats;
};

/** A formatter per set of options, made when first used. */
const memo = <K, F>(make: (key: K) => F) => {
  const made = new Map<K, F>();
  return (key: K): F => {
    let f = made.get(key);
    if (!f) {
      f = make(key);
      made.set(key, f);
    }
    return f;
  };
};

const makeFormats = (locale: string): Formats => {
  const moneyFormat = memo((currency: string) => new Intl.NumberFormat(locale, { style: 'currency', currency }));
  const numberFormat = memo((digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }));
  const ratioFormat = memo(
    (digits: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }),
  );
  const once = <F>(make: () => F) => memo((_: 0) => make());
  const amountFormat = once(() => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  const bpsFormat = once(() => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }));
  const dayFormat = once(() => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }));
  const instantDayFormat = once(() => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }));
  const dateTimeFormat = once(() => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }));
  const monthFormat = once(() => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' }));
  const decimal = (m: Money) => minorToDecimal(m.amountMinor, digitsOf(m.currency)) as `${number}`;
  return {
    locale,
    money: (m) => (m ? moneyFormat(m.currency).format(decimal(m)) : DASH),
    amount: (m) => amountFormat(0).format(decimal(m)),
    number: (n, digits = 0) => (n === null || n === undefined ? DASH : numberFormat(digits).format(n)),
    bps: (bps) => (bps === null || bps === undefined ? DASH : bpsFormat(0).format(bps / 10_000)),
    ratio: (r, digits = 1) => (r === null || r === undefined ? DASH : ratioFormat(digits).format(r)),
    // A plain date (YYYY-MM-DD) is a calendar day, not an instant: it is formatted in UTC so no time zone shifts it.
    date: (iso) => (!iso ? DASH : iso.length === 10 ? dayFormat(0).format(new Date(`${iso}T00:00:00Z`)) : instantDayFormat(0).format(new Date(iso))),
    dateTime: (iso) => (iso ? dateTimeFormat(0).format(new Date(iso)) : DASH),
    month: (yyyyMm) => monthFormat(0).format(new Date(`${yyyyMm}-01T00:00:00Z`)),
  };
};
