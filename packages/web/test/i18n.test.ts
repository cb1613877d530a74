import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { createFormats, decimalToMinor, minorToDecimal } from '../src/i18n/format';
import { libraryAdmin as libraryAdminEn } from '../src/i18n/sections/libraryAdmin.en';
import { libraryAdmin as libraryAdminZhCN } from '../src/i18n/sections/libraryAdmin.zh-CN';
import { owed as owedEn } from '../src/i18n/sections/owed.en';
import { owed as owedZhCN } from '../src/i18n/sections/owed.zh-CN';
import { performance as performanceEn } from '../src/i18n/sections/performance.en';
import { performance as performanceZhCN } from '../src/i18n/sections/performance.zh-CN';
import { receivables as receivablesEn } from '../src/i18n/sections/receivables.en';
import { receivables as receivablesZhCN } from '../src/i18n/sections/receivables.zh-CN';
import { webhooks as webhooksEn } from '../src/i18n/sections/webhooks.en';
import { webhooks as webhooksZhCN } from '../src/i18n/sections/webhooks.zh-CN';
import { zhCN } from '../src/i18n/zh-CN';

/** Each catalogue with its translation: the first screens' and each section loaded later (`loadSection`). */
const CATALOGUES: readonly [string, object, object][] = [
  ['en.ts', en, zhCN],
  ['sections/performance', performanceEn, performanceZhCN],
  ['sections/libraryAdmin', libraryAdminEn, libraryAdminZhCN],
  ['sections/receivables', receivablesEn, receivablesZhCN],
  ['sections/owed', owedEn, owedZhCN],
  ['sections/webhooks', webhooksEn, webhooksZhCN],
];

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
const values = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'string' ? [v] : values(v as object)));
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? sources(join(dir, name)) : name.endsWith('.tsx') ? [join(dir, name)] : []));

describe('message catalogues', () => {
  it.each(CATALOGUES)('zh-CN has exactly the keys of en, with the same placeholders (%s)', (_name, en, zhCN) => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
    const zh = new Map(keys(zhCN).map((k) => [k, k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zhCN) as string]));
    for (const k of keys(en)) {
      const text = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], en) as string;
      expect(placeholders(zh.get(k) ?? ''), k).toEqual(placeholders(text));
    }
  });

  it.each(CATALOGUES)('translates: no Chinese message is left in English (the same text), except names and codes (%s)', (name, en, zhCN) => {
    const same = keys(en).filter((k) => {
      const get = (o: object) => k.split('.').reduce<unknown>((x, p) => (x as Record<string, unknown>)[p], o) as string;
      return get(en) === get(zhCN) && /[a-z]{3}/.test(get(en));
    });
    const allowed = ['languages.en', 'console.nav.webhooks', 'app.name'];
    expect(same.filter((k) => !allowed.includes(k))).toEqual([]);
    if (name === 'en.ts') expect(values(zhCN).length).toBeGreaterThan(200);
  });

  it('components take their words from the catalogues: no text between JSX tags', () => {
    const root = join(import.meta.dirname, '../src');
    const offenders = sources(root).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?<!=)>\s*([A-Za-z\u4e00-\u9fff][^<>{}]*?)\s*</g)]
        .map((m) => m[1]!)
        // Type parameters (Table<Line>, useState<string>) are not text.
        .filter((text) => !/^[A-Z]\w*$/.test(text) && !/[=;()&|]/.test(text))
        .map((text) => `${file.slice(root.length + 1)}: ${text}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('formats', () => {
  it('turns minor units into exact decimals and back, without floating point', () => {
    expect(minorToDecimal(123456, 2)).toBe('1234.56');
    expect(minorToDecimal(-5, 2)).toBe('-0.05');
    expect(minorToDecimal(700, 0)).toBe('700');
    expect(minorToDecimal(9_007_199_254_740_991, 2)).toBe('90071992547409.91');
    expect(decimalToMinor('1234.5', 2)).toBe(123450);
    expect(decimalToMinor('0,07', 2)).toBe(7);
    expect(decimalToMinor('1.234', 2)).toBeNull();
    expect(decimalToMinor('abc', 2)).toBeNull();
  });

  it('formats money, dates and percentages per language', () => {
    const en = createFormats('en');
    const zh = createFormats('zh-CN');
    expect(en.money({ amountMinor: 123456, currency: 'EUR' })).toBe('€1,234.56');
    expect(zh.money({ amountMinor: 123456, currency: 'EUR' })).toBe('€1,234.56');
    expect(zh.money({ amountMinor: 123456, currency: 'CNY' })).toBe('¥1,234.56');
    expect(en.date('2026-03-01')).toBe('Mar 1, 2026');
    expect(zh.date('2026-03-01')).toBe('2026年3月1日');
    expect(en.bps(1250)).toBe('12.5%');
    expect(zh.month('2026-11')).toBe('2026年11月');
  });
});
