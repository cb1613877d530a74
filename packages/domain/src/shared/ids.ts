import { z } from 'zod';
import { RawText } from './text';

/** Identifiers are short, URL- and stream-name-safe tokens. A dot is reserved as the separator in composite stream ids. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 characters of letters, digits, "-" or "_", starting with a letter or digit');
export type Id = z.infer<typeof Id>;

/** A stock-keeping unit: same alphabet as an id. */
export const Sku = Id.describe('stock-keeping unit');
export type Sku = z.infer<typeof Sku>;

export const IsoDateTime = z.iso.datetime({ offset: true }).describe('ISO-8601 timestamp');
export type IsoDateTime = z.infer<typeof IsoDateTime>;

export const IsoDate = z.iso.date().describe('ISO-8601 calendar date (YYYY-MM-DD)');
export type IsoDate = z.infer<typeof IsoDate>;

/** Who did it: recorded as the `actor` of every event. */
export const Role = z.enum(['admin', 'sales', 'finance', 'auditor', 'dealer', 'system']);
export type Role = z.infer<typeof Role>;

export const Actor = z.object({
  id: RawText(128).min(1),
  role: Role,
  partnerId: Id.optional(),
});
export type Actor = z.infer<typeof Actor>;
