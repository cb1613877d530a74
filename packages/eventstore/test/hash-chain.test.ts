import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalContent, canonicalJson, contentHash } from '../src/hash-chain';

/** How canonical JSON was written until 2026-12: a copy with sorted keys, then JSON.stringify. Stored hashes rest on it. */
const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
};
const before = (value: unknown) => JSON.stringify(sortKeys(value));
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const anything = fc.anything({
  key: fc.string().filter((k) => k !== '__proto__'),
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withObjectString: true,
});

describe('canonical JSON', () => {
  it('writes the same text as before for any value, so stored hashes still verify', () => {
    fc.assert(
      fc.property(anything, (value) => {
        expect(canonicalJson(value)).toBe(before(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes any string, as a value or a key, as JSON.stringify does (control characters, quotes, lone surrogates)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    // Keys without "__proto__", which the copy lost (the test below).
    const objects = fc.dictionary(
      text.filter((k) => k !== '__proto__'),
      fc.oneof(text, fc.array(text)),
      { maxKeys: 24 },
    );
    fc.assert(
      fc.property(objects, (value) => {
        expect(canonicalJson(value)).toBe(before(value));
      }),
      { numRuns: 2000 },
    );
    // One character to escape in each string (the first one found sends the whole string to JSON.stringify).
    const each = ['\ud800', '\udfff', '"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', 'é'].map((c) => `a${c}b`);
    const value = Object.fromEntries(each.map((text) => [text, text]));
    expect(canonicalJson(value)).toBe(before(value));
  });

  it('writes functions and undefined as before: left out of objects, null in arrays', () => {
    const value = { b: undefined, a: [undefined, () => 1, Symbol('s'), 2], c: () => 1, d: Number.NaN, e: -0, f: 1e21 };
    expect(canonicalJson(value)).toBe(before(value));
    expect(canonicalJson(value)).toBe('{"a":[null,null,null,2],"d":null,"e":0,"f":1e+21}');
  });

  it('refuses a bigint, as before', () => {
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => before({ a: 1n })).toThrow(TypeError);
  });

  it('covers a key named __proto__, which the copy lost', () => {
    const value = JSON.parse('{"__proto__":{"x":1},"a":1}');
    expect(before(value)).toBe('{"a":1}');
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":1},"a":1}');
  });
});

describe('content hash', () => {
  const event = fc.record({
    eventId: fc.uuid(),
    type: fc.string({ minLength: 1 }),
    // Without a "__proto__" key, which the copy dropped and the hash now covers (the test above): fc.jsonValue makes some.
    data: fc.option(
      fc.jsonValue().filter((v) => !JSON.stringify(v).includes('"__proto__":')),
      { nil: undefined },
    ),
    metadata: fc.record(
      {
        correlationId: fc.string(),
        causationId: fc.option(fc.uuid()),
        actor: fc.record({ id: fc.string(), role: fc.constantFrom('system' as const, 'dealer' as const) }),
        schemaVersion: fc.nat(),
        prevHash: fc.option(fc.string()),
        hash: fc.string(),
      },
      { requiredKeys: ['correlationId', 'causationId', 'actor', 'schemaVersion'] },
    ),
  });

  it('is the hash of the event content without the chain link, as before; the parts are its canonical data and metadata', () => {
    fc.assert(
      fc.property(event, (e) => {
        const { prevHash: _p, hash: _h, ...metadata } = e.metadata;
        const parts = canonicalContent(e);
        expect(contentHash(e)).toBe(sha256(before({ eventId: e.eventId, type: e.type, data: e.data, metadata })));
        expect(parts.hash).toBe(contentHash(e));
        expect(parts.metadata).toBe(before(metadata));
        expect(parts.data).toBe(e.data === undefined ? undefined : before(e.data));
      }),
      { numRuns: 1000 },
    );
  });
});
