import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Problem } from './problems';
import { Money } from './schemas';
import { compiledSerializer } from './serializer';

const compile = (schema: z.ZodType) => compiledSerializer({ schema, method: 'GET', url: '/x', httpStatus: '200' }) as (data: unknown) => string;

// The shapes a detail answer is made of: shared (`meta` id) schemas, nullables, records, enums, unknown JSON, arrays.
const Detail = z.object({
  id: z.string(),
  note: z.string().nullable(),
  total: Money,
  lines: z.array(z.object({ lineNo: z.number().int(), amount: Money, source: z.object({ kind: z.string() }).nullable() })),
  dates: z.record(z.string(), z.string().nullable()),
  status: z.enum(['pending', 'approved']),
  extra: z.unknown(),
  review: z
    .object({ automatic: z.boolean(), reasons: z.array(z.object({ code: z.string(), details: z.record(z.string(), z.unknown()).optional() })) })
    .nullable(),
});

// zod leaves out an own `__proto__` key of a record, fast-json-stringify writes it; no answer of this API has such a key.
const key = fc.string().filter((k) => k !== '__proto__');
const money = fc.record({ amountMinor: fc.maxSafeInteger(), currency: fc.constantFrom('EUR', 'USD') });
const detail = fc.record({
  id: fc.string(),
  note: fc.option(fc.string(), { nil: null }),
  total: money,
  lines: fc.array(fc.record({ lineNo: fc.nat(), amount: money, source: fc.option(fc.record({ kind: fc.string() }), { nil: null }) }), { maxLength: 5 }),
  dates: fc.dictionary(key, fc.option(fc.string(), { nil: null })),
  status: fc.constantFrom('pending' as const, 'approved' as const),
  extra: fc.jsonValue(),
  review: fc.option(
    fc.record({
      automatic: fc.boolean(),
      reasons: fc.array(fc.record({ code: fc.string(), details: fc.dictionary(key, fc.jsonValue()) }, { requiredKeys: ['code'] })),
    }),
    { nil: null },
  ),
});

describe('the compiled response serialiser', () => {
  it('writes the same JSON document as parsing with zod and JSON.stringify', () => {
    const serialize = compile(Detail);
    fc.assert(
      fc.property(detail, (d) => {
        expect(JSON.parse(serialize(d))).toEqual(JSON.parse(JSON.stringify(Detail.parse(d))));
      }),
    );
  });

  it('leaves out properties the schema does not name, as zod strips them', () => {
    const serialize = compile(Problem);
    const body = JSON.parse(serialize({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No.', code: 'NOT_FOUND', secret: 'x' }));
    expect(body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No.', code: 'NOT_FOUND' });
  });

  it('fails an answer that lacks a required property rather than writing it', () => {
    expect(() => compile(Detail)({ id: 'x' })).toThrow(/required/);
  });
});
