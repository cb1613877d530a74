import { Money as DomainMoney, RawText } from '@dms/domain';
import { z } from 'zod';

export const Money = DomainMoney.meta({ id: 'Money', description: 'Integer minor units (e.g. cents) and an ISO-4217 currency' });

export const Position = z
  .string()
  .regex(/^\d{1,20}$/, 'must be a global position (digits) returned by a command')
  // Refinements run even when the regex failed, so this one must not assume digits.
  .refine((v) => !/^\d{1,20}$/.test(v) || BigInt(v) < 2n ** 64n, 'must be below 2^64')
  .describe('Global event position returned by a command; pass it as minPosition to read your own write');

export const CommandAccepted = z
  .object({
    streamId: z.string(),
    streamVersion: z.number().int().describe('Version of the stream after the command'),
    position: Position,
    replayed: z.boolean().describe('True when the same Idempotency-Key was already handled: nothing new was written'),
    events: z.array(
      z.object({
        eventId: z.string(),
        type: z.string(),
        streamId: z.string().describe('The stream this event was written to (a command may write to several)'),
        streamVersion: z.number().int().describe('Its version in that stream'),
      }),
    ),
  })
  .meta({ id: 'CommandAccepted' });

/** Query-string part shared by every read: wait until the read models include this position (read your own writes). */
export const ReadConsistency = z.strictObject({
  minPosition: Position.optional(),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last') });

export const Limit = z.coerce.number().int().min(1).max(500).optional();
export const Cursor = RawText(512).optional();

/** A stream's full history with its hash chain verified: what an auditor reads (orders, agreements...). */
export const HistoryEntry = z.object({
  streamVersion: z.number().int(),
  globalPosition: z.string(),
  type: z.string(),
  data: z.unknown(),
  recordedAt: z.string(),
  actor: z.object({ id: z.string(), role: z.string(), partnerId: z.string().optional() }),
  commandId: z.string().nullable(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  hash: z.string(),
});

export const History = z
  .object({
    streamId: z.string(),
    verified: z.boolean().describe('True when the hash chain of the stream checks out: nothing altered, removed or reordered'),
    problems: z.array(z.unknown()),
    entries: z.array(HistoryEntry),
  })
  .meta({ id: 'History' });
