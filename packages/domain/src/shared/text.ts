import { z } from 'zod';

const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when PostgreSQL can store the string as text or jsonb: no U+0000 (NUL), which neither type accepts, and no unpaired
 * UTF-16 surrogate, which is not Unicode at all (jsonb refuses its escape; UTF-8 would silently turn it into U+FFFD).
 */
export const isStorableText = (value: string): boolean => !value.includes(NUL) && !LONE_SURROGATE.test(value);

export const UNSTORABLE_TEXT = 'must not contain U+0000 (NUL) or an unpaired UTF-16 surrogate';

/**
 * The one schema for text a person or a client chooses (references, notes, reasons, subjects, messages, search terms):
 * trimmed, at most `max` characters, and storable. Every free-text field of every command and request uses it.
 */
export const Text = (max: number) => z.string().trim().max(max).refine(isStorableText, UNSTORABLE_TEXT);

/** {@link Text} that must not be empty once trimmed. */
export const NonEmptyText = (max: number) => z.string().trim().min(1).max(max).refine(isStorableText, UNSTORABLE_TEXT);

/** Text used as given (passwords, tokens, stream ids): not trimmed, but storable. */
export const RawText = (max: number) => z.string().max(max).refine(isStorableText, UNSTORABLE_TEXT);

/** An http(s) address of at most 2000 characters, storable like any text (the URL parser accepts a NUL in a path). */
export const HttpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine(isStorableText, UNSTORABLE_TEXT);
