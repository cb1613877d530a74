import { RawText } from '@dms/domain';
import { parseAsOfPosition, parseAsOfTime, stateAsOf, streamHistory, verifyStore } from '@dms/eventstore';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiOptions } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { History, HistoryEntry } from '../schemas';

const StreamId = RawText(256)
  .min(1)
  .regex(/^[^$]/, 'stream ids starting with "$" belong to the store')
  .describe('Any stream: order-<id>, stock-<warehouse>.<sku>, agreement-<id>, settlement-<partner>.<period>...');

const Verification = z
  .object({
    ok: z.boolean().describe('True when every hash chain holds and every event matches its schema'),
    streams: z.number().int(),
    events: z.number().int(),
    problemCount: z.number().int(),
    problems: z.array(
      z.object({
        streamId: z.string(),
        kind: z.string().describe('version_gap, broken_link, altered or undecodable'),
        streamVersion: z.number().int().nullable(),
        detail: z.string(),
      }),
    ),
    categories: z.array(z.object({ category: z.string(), streams: z.number().int(), events: z.number().int(), problems: z.number().int() })),
    rootHash: z.string().describe('SHA-256 over every stream head read: equal root hashes mean the same history'),
    position: z.string().nullable().describe('The last global position read'),
    verifiedAt: z.string(),
  })
  .meta({ id: 'StoreVerification' });

const StateAsOf = z
  .object({
    streamId: z.string(),
    aggregate: z.string().describe('The aggregate whose own evolve folded the events: order, stock, agreement, credit, settlement...'),
    asOf: z.object({ at: z.string().nullable(), position: z.string().nullable() }),
    version: z.number().int().describe('The stream version the state stands at; -1 when nothing of the stream was recorded by then'),
    eventsInStream: z.number().int().describe('Every event the stream holds now, those after the cut included'),
    state: z.unknown().describe('The aggregate state as JSON: maps as objects, sets as arrays'),
    status: z.string().nullable().describe('An order’s displayed status at that moment; null for other aggregates'),
    verified: z.boolean().describe('True when the whole stream’s hash chain holds: the events folded are a prefix of it'),
    problems: z.array(z.unknown()),
    entries: z.array(HistoryEntry).describe('The events that led to the state, oldest first'),
  })
  .meta({ id: 'StateAsOf' });

/** What auditors read beyond each resource's own history: any stream, and the whole store verified in one pass. */
export const auditRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { store } = options.runtime;
    app.get(
      '/audit/streams/:streamId',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags: ['audit'],
          summary: 'Every event of any stream: who, when, why, with the hash chain verified',
          params: z.strictObject({ streamId: StreamId }),
          response: { 200: History, 404: Problem },
        },
      },
      async (request) => {
        const history = await streamHistory(store, request.params.streamId);
        if (history.entries.length === 0) throw new HttpProblem(problem(404, 'STREAM_NOT_FOUND', `Stream ${request.params.streamId} has no events.`));
        return { streamId: history.streamId, verified: history.verification.ok, problems: [...history.verification.problems], entries: [...history.entries] };
      },
    );
    app.get(
      '/audit/streams/:streamId/state',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags: ['audit'],
          summary: 'The state of any aggregate as of a time or a global position, folded by its own evolve, beside the events that led to it',
          description:
            'Folds the longest prefix of the stream recorded at or before `at` (the time the store recorded each event, bound into the hash chain) and at or before `position`; neither given: now. A date alone means the end of that day, UTC.',
          params: z.strictObject({ streamId: StreamId }),
          querystring: z.strictObject({
            at: RawText(40).optional().describe('ISO-8601 instant with offset (2026-06-30T23:59:59Z) or a date (2026-06-30: its end, UTC)'),
            position: RawText(20).optional().describe('A global position, as histories show them'),
          }),
          response: { 200: StateAsOf, 400: Problem, 404: Problem },
        },
      },
      async (request) => {
        const { at, position } = request.query;
        const field = (name: string, read: () => unknown) => {
          try {
            return read();
          } catch (error) {
            throw new HttpProblem(
              problem(400, 'INVALID_AS_OF', (error as Error).message, { errors: [{ field: `querystring.${name}`, message: (error as Error).message }] }),
            );
          }
        };
        const asOf = {
          ...(at === undefined ? {} : { at: field('at', () => parseAsOfTime(at)) as Date }),
          ...(position === undefined ? {} : { position: field('position', () => parseAsOfPosition(position)) as bigint }),
        };
        const result = await stateAsOf(store, request.params.streamId, asOf);
        if (result.eventsInStream === 0) throw new HttpProblem(problem(404, 'STREAM_NOT_FOUND', `Stream ${request.params.streamId} has no events.`));
        const { verification, ...rest } = result;
        return { ...rest, entries: [...rest.entries], verified: verification.ok, problems: [...verification.problems] };
      },
    );
    app.get(
      '/audit/verification',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags: ['audit'],
          summary: 'Verifies every stream (or those under a prefix) in one pass: hash chains and event schemas',
          description:
            'Reads the whole store (or the streams under `streamPrefix`) through `$all`. Cutting events off the end of a stream, or deleting a stream whole, leaves sound chains: compare `rootHash` with an earlier one, or keep anchors with `dms audit verify --save-anchor` and verify against them.',
          querystring: z.strictObject({
            streamPrefix: StreamId.optional().describe('Only streams whose id starts with this, e.g. order-'),
            limit: z.coerce.number().int().min(1).max(1000).optional().describe('Problems listed, at most (default 100); problemCount counts all'),
          }),
          response: { 200: Verification },
        },
      },
      async (request) => {
        const { streamPrefix, limit } = request.query;
        const verifiedAt = new Date();
        const result = await verifyStore(store, { ...(streamPrefix ? { streamPrefix } : {}), maxProblems: limit ?? 100, now: verifiedAt });
        return {
          ok: result.ok,
          streams: result.streams,
          events: result.events,
          problemCount: result.problemCount,
          problems: [...result.problems],
          categories: [...result.categories],
          rootHash: result.anchor.rootHash,
          position: result.anchor.position,
          verifiedAt: verifiedAt.toISOString(),
        };
      },
    );
  };
