import type { Readable } from 'node:stream';
import {
  aggregates,
  FileName,
  HttpUrl,
  Id,
  partnerStream,
  RESOURCE_CONTENT_TYPES,
  RESOURCE_KINDS,
  RESOURCE_MAX_BYTES,
  type ResourceCommand,
  type ResourceContent,
  ResourceContentType,
  ResourceDescription,
  ResourceKind,
  ResourceTargeting,
  ResourceTitle,
  resourceStream,
  Sha256,
  Text,
  VersionNote,
} from '@dms/domain';
import { loadAggregate } from '@dms/eventstore';
import { acknowledgementReport, type ContentStore, getResource, listResources, PostgresContentStore, readModelsOf, receiveContent } from '@dms/projections';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, generatedId, orRefuse, partnerScope, reply201, requireOnboarded } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, ReadConsistency } from '../schemas';

const ContentView = z
  .union([
    z.object({ type: z.literal('file'), sha256: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int() }),
    z.object({ type: z.literal('link'), url: z.string() }),
  ])
  .meta({ id: 'ResourceContent' });

const TargetingView = z.object({ tiers: z.array(z.string()), regions: z.array(z.string()), partnerIds: z.array(z.string()) });

const ResourceSummary = z
  .object({
    resourceId: z.string(),
    kind: z.enum(RESOURCE_KINDS),
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(['draft', 'published', 'withdrawn']),
    targeting: TargetingView.describe('Empty lists: every dealer. Otherwise dealers named, or of a listed tier and region (docs/resources.md)'),
    requiresAcknowledgement: z.boolean(),
    currentVersion: z.number().int(),
    content: ContentView.nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    publishedAt: z.string().nullable(),
    withdrawnAt: z.string().nullable(),
    withdrawReason: z.string().nullable(),
    updatedAt: z.string(),
    acknowledged: z.boolean().nullable().describe("A dealer's own: whether it has acknowledged the current version; null for staff or when none is asked"),
  })
  .meta({ id: 'ResourceSummary' });

const ResourceDetail = ResourceSummary.extend({
  versions: z.array(z.object({ version: z.number().int(), content: ContentView, note: z.string().nullable(), addedBy: z.string(), addedAt: z.string() })),
}).meta({ id: 'Resource' });

const AcknowledgementReport = z
  .object({
    resourceId: z.string(),
    title: z.string(),
    version: z.number().int(),
    requiresAcknowledgement: z.boolean(),
    acknowledged: z.array(z.object({ partnerId: z.string(), name: z.string(), acknowledgedBy: z.string(), acknowledgedAt: z.string() })),
    pending: z.array(z.object({ partnerId: z.string(), name: z.string(), tier: z.string(), region: z.string() })),
  })
  .meta({ id: 'AcknowledgementReport' });

const StoredFile = z.object({ sha256: z.string(), contentType: z.enum(RESOURCE_CONTENT_TYPES), sizeBytes: z.number().int() }).meta({ id: 'StoredFile' });

/** A version's content as a request gives it: a stored file (by the digest an upload answered) or a link. */
const ContentInput = {
  file: z.strictObject({ sha256: Sha256, fileName: FileName }).optional().describe('A file uploaded with POST /resource-files'),
  url: HttpUrl.optional().describe('Or a link to the document'),
  note: VersionNote.optional(),
};
const oneContent = (b: { file?: unknown; url?: unknown }) => (b.file === undefined) !== (b.url === undefined);
const ONE_CONTENT = { path: ['file'], message: 'give either file or url, not both and not neither' };

const Params = z.object({ resourceId: Id });
const errors = { 400: Problem, 404: Problem, 409: Problem };

/** RFC 6266 / 5987: an ASCII fallback and the exact name, so Chinese file names survive the download. */
const contentDisposition = (fileName: string) =>
  `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

/**
 * The resource library (docs/resources.md): documents and links the manufacturer shares with dealers. Staff with
 * `resources:write` upload, create, version, target, publish and withdraw; dealers list, read, download and acknowledge
 * only published resources that target them (any other answers 404); the acknowledgement report is the manufacturer's.
 * Files are served only as attachments, never inline.
 */
export const resourceRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, runner, reads: queries, store } = options.runtime;
    // Files are written to and read from the primary database, never a read replica.
    const contents: ContentStore = options.contentStore ?? new PostgresContentStore(runner.db);
    const maxBytes = options.resourceMaxBytes ?? RESOURCE_MAX_BYTES;
    const now = () => (options.now ?? (() => new Date()))().toISOString();
    const notFound = (resourceId: string) => new HttpProblem(problem(404, 'RESOURCE_NOT_FOUND', `Resource ${resourceId} does not exist.`));
    const execute = async (request: FastifyRequest, command: ResourceCommand) => orRefuse(await bus.execute(command, commandContext(request)));
    const reader = (request: FastifyRequest) => ({ partnerId: partnerScope(request) });

    /** The stored file a request names, with the type and size the store recorded (never what the client claims). */
    const contentOf = async (body: { file?: { sha256: string; fileName: string } | undefined; url?: string | undefined }): Promise<ResourceContent> => {
      if (body.url !== undefined) return { type: 'link', url: body.url };
      const file = body.file!;
      const stored = await contents.get(file.sha256);
      if (!stored)
        throw new HttpProblem(
          problem(404, 'FILE_NOT_FOUND', `No file with sha-256 ${file.sha256} has been uploaded; upload it with POST /resource-files first.`),
        );
      return { type: 'file', sha256: stored.sha256, fileName: file.fileName, contentType: stored.contentType, sizeBytes: stored.sizeBytes };
    };

    // Uploads arrive as the file's own bytes, as a stream: the route reads them itself and stops at the limit.
    app.addContentTypeParser([...RESOURCE_CONTENT_TYPES], (_request, payload, done) => done(null, payload));

    app.post(
      '/resource-files',
      {
        config: { permission: 'resources:write' },
        schema: {
          tags: ['resources'],
          summary: 'Upload a file for the library: the body is the file, its Content-Type one of the allowed types',
          description: `Answers the file's sha-256, which POST /resources and POST /resources/{resourceId}/versions name. At most ${RESOURCE_MAX_BYTES.toLocaleString('en')} bytes by default (413 beyond, checked while reading); the first bytes must match the type (a PDF begins %PDF-, ...; text must be UTF-8 and not HTML), or 415. Allowed: ${RESOURCE_CONTENT_TYPES.join(', ')}. The same bytes uploaded twice are stored once.`,
          response: { 200: StoredFile, 201: StoredFile, 400: Problem, 413: Problem, 415: Problem },
        },
      },
      async (request, reply) => {
        const type = ResourceContentType.safeParse((request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase());
        const body = request.body as unknown;
        if (!type.success || body === null || typeof body !== 'object' || typeof (body as Readable).pipe !== 'function')
          throw new HttpProblem(
            problem(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the file's bytes with one of these content types: ${RESOURCE_CONTENT_TYPES.join(', ')}.`),
          );
        const declared = Number(request.headers['content-length']);
        const source = body as Readable;
        const result =
          Number.isFinite(declared) && declared > maxBytes
            ? {
                ok: false as const,
                refusal: { code: 'FILE_TOO_LARGE', message: `The file is larger than the ${maxBytes.toLocaleString('en')} bytes the library takes.` },
              }
            : await receiveContent(contents, source, type.data, maxBytes);
        if (!result.ok) {
          // Whatever is still coming is not read: the connection closes after this answer.
          source.destroy?.();
          reply.header('connection', 'close');
          const status = result.refusal.code === 'FILE_TOO_LARGE' ? 413 : result.refusal.code === 'EMPTY_FILE' ? 400 : 415;
          throw new HttpProblem(problem(status, result.refusal.code, result.refusal.message, { details: { maxBytes } }));
        }
        return reply.code(201).header('location', `/resource-files/${result.content.sha256}`).send(result.content);
      },
    );

    app.post(
      '/resources',
      {
        config: { permission: 'resources:write' },
        schema: {
          tags: ['resources'],
          summary: 'Create a resource (a file or a link) as a draft, or published at once with publish: true',
          body: z
            .strictObject({
              resourceId: Id.optional().describe('Chosen by the client, or generated'),
              kind: ResourceKind,
              title: ResourceTitle,
              description: ResourceDescription.optional(),
              targeting: ResourceTargeting.optional().describe('Who it is for; omitted: every dealer'),
              requiresAcknowledgement: z.boolean().optional(),
              publish: z.boolean().optional(),
              ...ContentInput,
            })
            .refine(oneContent, ONE_CONTENT),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const b = request.body;
        await requireOnboarded(options, b.targeting?.partnerIds, 'body.targeting.partnerIds');
        const resourceId = b.resourceId ?? generatedId(request, 'res-');
        const content = await contentOf(b);
        const createdAt = now();
        let result = await execute(request, {
          type: 'CreateResource',
          data: {
            resourceId,
            kind: b.kind,
            title: b.title,
            ...(b.description ? { description: b.description } : {}),
            targeting: b.targeting ?? { tiers: [], regions: [], partnerIds: [] },
            requiresAcknowledgement: b.requiresAcknowledgement ?? false,
            content,
            ...(b.note ? { note: b.note } : {}),
            by: request.principal,
            createdAt,
          },
        });
        if (b.publish && !result.replayed)
          result = await execute(request, { type: 'PublishResource', data: { resourceId, by: request.principal, publishedAt: createdAt } });
        return reply201(reply, `/resources/${resourceId}`, result);
      },
    );

    app.get(
      '/resources',
      {
        config: { permission: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary: 'The library, most recently changed first; a dealer sees only published resources that target it',
          querystring: ReadConsistency.extend({ kind: ResourceKind.optional(), status: z.enum(['draft', 'published', 'withdrawn']).optional() }),
          response: { 200: z.object({ items: z.array(ResourceSummary) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        const { minPosition, ...filter } = request.query;
        await awaitPosition(options, minPosition, readModelsOf('resources'));
        return { items: await listResources(queries.db, reader(request), filter) };
      },
    );

    app.get(
      '/resources/:resourceId',
      {
        config: { permission: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary: 'One resource with its versions (newest first)',
          params: Params,
          querystring: ReadConsistency,
          response: { 200: ResourceDetail, 400: Problem, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('resources'));
        const resource = await getResource(queries.db, request.params.resourceId, reader(request));
        if (!resource) throw notFound(request.params.resourceId);
        return resource;
      },
    );

    app.get(
      '/resources/:resourceId/content',
      {
        config: { permission: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary: "Download a version's file (the current one unless version is given), always as an attachment",
          description: 'A link version answers 409 RESOURCE_IS_A_LINK with the address in details.url.',
          params: Params,
          querystring: ReadConsistency.extend({ version: z.coerce.number().int().min(1).max(1_000_000).optional() }),
          response: {
            200: z.string().describe('The file itself, with its own Content-Type and Content-Disposition: attachment'),
            400: Problem,
            404: Problem,
            409: Problem,
            503: Problem,
          },
        },
      },
      async (request, reply) => {
        const { resourceId } = request.params;
        await awaitPosition(options, request.query.minPosition, readModelsOf('resources'));
        const resource = await getResource(queries.db, resourceId, reader(request));
        if (!resource) throw notFound(resourceId);
        const wanted = request.query.version ?? resource.currentVersion;
        const version = resource.versions.find((v) => v.version === wanted);
        if (!version) throw new HttpProblem(problem(404, 'VERSION_NOT_FOUND', `Resource ${resourceId} has no version ${wanted}.`));
        if (version.content.type === 'link')
          throw new HttpProblem(
            problem(409, 'RESOURCE_IS_A_LINK', `Version ${wanted} of resource ${resourceId} is a link, not a file.`, { details: { url: version.content.url } }),
          );
        const file = await contents.get(version.content.sha256);
        if (!file)
          throw new HttpProblem(problem(404, 'FILE_NOT_FOUND', `The file of version ${wanted} of resource ${resourceId} is not in the content store.`));
        return reply
          .type(file.contentType)
          .header('content-disposition', contentDisposition(version.content.fileName))
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, max-age=0')
          .header('etag', `"${file.sha256}"`)
          .send(Buffer.from(file.bytes) as unknown as string);
      },
    );

    app.post(
      '/resources/:resourceId/versions',
      {
        config: { permission: 'resources:write' },
        schema: {
          tags: ['resources'],
          summary: 'Add a version: it supersedes the current one at once (the history stays); dealers are asked to acknowledge it again',
          params: Params,
          body: z.strictObject(ContentInput).refine(oneContent, ONE_CONTENT),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const content = await contentOf(request.body);
        const { note } = request.body;
        return accepted(
          await execute(request, {
            type: 'AddResourceVersion',
            data: { resourceId: request.params.resourceId, content, ...(note ? { note } : {}), by: request.principal, addedAt: now() },
          }),
        );
      },
    );

    app.post(
      '/resources/:resourceId/targeting',
      {
        config: { permission: 'resources:write' },
        schema: {
          tags: ['resources'],
          summary: 'Change who a resource is for (the same audience again: nothing changes)',
          params: Params,
          body: ResourceTargeting,
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        await requireOnboarded(options, request.body.partnerIds, 'body.partnerIds');
        return accepted(
          await execute(request, {
            type: 'ChangeResourceTargeting',
            data: { resourceId: request.params.resourceId, targeting: request.body, by: request.principal, changedAt: now() },
          }),
        );
      },
    );

    app.post(
      '/resources/:resourceId/publish',
      {
        config: { permission: 'resources:write' },
        schema: {
          tags: ['resources'],
          summary: 'Publish a draft or withdrawn resource to the dealers it targets',
          params: Params,
          body: z.strictObject({}),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          await execute(request, { type: 'PublishResource', data: { resourceId: request.params.resourceId, by: request.principal, publishedAt: now() } }),
        ),
    );

    app.post(
      '/resources/:resourceId/withdraw',
      {
        config: { permission: 'resources:write' },
        schema: {
          tags: ['resources'],
          summary: 'Withdraw a published resource: dealers no longer see it',
          params: Params,
          body: z.strictObject({ reason: Text(500).optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const { reason } = request.body;
        return accepted(
          await execute(request, {
            type: 'WithdrawResource',
            data: { resourceId: request.params.resourceId, ...(reason ? { reason } : {}), by: request.principal, withdrawnAt: now() },
          }),
        );
      },
    );

    app.post(
      '/resources/:resourceId/acknowledge',
      {
        config: { permission: 'resources:acknowledge' },
        schema: {
          tags: ['resources'],
          summary: "A dealer acknowledges a version (the current one unless given): 'I have read it'. Again: nothing changes",
          params: Params,
          body: z.strictObject({ version: z.number().int().min(1).max(1_000_000).optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const { resourceId } = request.params;
        const partnerId = partnerScope(request);
        if (partnerId === undefined)
          throw new HttpProblem(problem(409, 'NOT_A_DEALER', 'Only a dealer acknowledges a resource, for its own partner.', { details: { resourceId } }));
        // The dealer's tier and region as they are now decide whether the resource targets it.
        const { state: partner } = await loadAggregate(store, aggregates.partners, partnerStream(partnerId));
        if (!partner.exists) throw notFound(resourceId);
        let version = request.body.version;
        if (version === undefined) {
          const { state } = await loadAggregate(store, aggregates.resources, resourceStream(resourceId));
          if (!state.exists) throw notFound(resourceId);
          version = Math.max(1, state.versions.length);
        }
        return accepted(
          await execute(request, {
            type: 'AcknowledgeResource',
            data: {
              resourceId,
              version,
              dealer: { partnerId, tier: partner.tier, region: partner.region },
              by: request.principal,
              acknowledgedAt: now(),
            },
          }),
        );
      },
    );

    app.get(
      '/resources/:resourceId/acknowledgements',
      {
        config: { permission: 'resources:report' },
        schema: {
          tags: ['resources'],
          summary: 'Who has and has not acknowledged a version (the current one unless given), among the dealers it targets',
          params: Params,
          querystring: ReadConsistency.extend({ version: z.coerce.number().int().min(1).max(1_000_000).optional() }),
          response: { 200: AcknowledgementReport, 400: Problem, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        const { resourceId } = request.params;
        await awaitPosition(options, request.query.minPosition, readModelsOf('resources'));
        const report = await acknowledgementReport(queries.db, resourceId, request.query.version);
        if (!report) throw notFound(resourceId);
        return report;
      },
    );
  };
