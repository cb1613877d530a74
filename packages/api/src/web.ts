import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface WebOptions {
  /** A built web application (packages/web/dist): index.html, assets/, sw.js, manifest and icons. */
  readonly root: string;
}

/**
 * The paths the browser application answers: its client routes all start with one of these, and no API route does, so an
 * unknown API path keeps its 404 problem while a reload on /portal/orders/o-1 gets the app.
 */
const CLIENT_ROUTES = ['/', '/index.html', '/sign-in', '/accept-invitation', '/portal', '/portal/*', '/console', '/console/*'];

/**
 * The shell sent for an address: the build's copy of index.html for its area, which preloads the area's first screen
 * (build/plugins.ts, firstScreenPreloads): the console's home opens on its dashboard, the portal on its catalogue.
 */
const shellOf = (path: string): string =>
  /^\/console\/?$/.test(path) ? 'console-home.html' : path.startsWith('/console/') ? 'console.html' : path.startsWith('/portal') ? 'portal.html' : 'index.html';

/**
 * What the app may load: itself, its own API, inline styles (Ant Design's CSS-in-JS), images from itself and data: URLs,
 * and of inline scripts exactly those the build put in its pages (a console home's early calls), named by their hashes.
 */
const appCsp = (inlineScripts: readonly string[]) =>
  [
    "default-src 'self'",
    ["script-src 'self'", ...inlineScripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`)].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

/** The text of every inline `<script>` in the given pages. */
const inlineScriptsOf = (pages: readonly string[]): string[] =>
  pages.flatMap((page) => [...readFileSync(page, 'utf8').matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** One file of the build, as sent: its bytes, those compressed at build time when there are, and its validator. */
interface BuiltFile {
  readonly type: string;
  readonly etag: string;
  readonly identity: Buffer;
  readonly br?: Buffer;
  readonly gzip?: Buffer;
}

/**
 * Every file of the build, read once into memory (a few MB): a file is then sent with one write, where reading it from
 * the disk for each request took four file-system calls, each a turn of the event loop that the embedded database's
 * queries hold up (docs/benchmarks.md, "An idle server").
 */
const readBuild = (root: string): Map<string, BuiltFile> => {
  const files = new Map<string, BuiltFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !/\.(br|gz)$/.test(entry.name)) {
        const identity = readFileSync(path);
        const variant = (suffix: string) => (existsSync(path + suffix) ? readFileSync(path + suffix) : undefined);
        const br = variant('.br');
        const gzip = variant('.gz');
        files.set(relative(root, path).split('\\').join('/'), {
          type: CONTENT_TYPES[extname(entry.name)] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
          identity,
          ...(br ? { br } : {}),
          ...(gzip ? { gzip } : {}),
        });
      }
    }
  };
  walk(root);
  return files;
};

/** The codings the request accepts (`Accept-Encoding`), those given `q=0` left out. */
const acceptedCodings = (header: string | undefined): Set<string> =>
  new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([, ...params]) => !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p)))
      .map(([coding]) => coding!),
  );

/** Sends a file of the build: brotli or gzip when the browser takes it, 304 when its copy is current. */
const sendBuilt = (request: FastifyRequest, reply: FastifyReply, file: BuiltFile | undefined) => {
  if (!file) return reply.callNotFound();
  reply.header('etag', file.etag).header('content-type', file.type);
  if (file.br || file.gzip) reply.header('vary', 'accept-encoding');
  const known = request.headers['if-none-match']?.split(',');
  if (known?.some((tag) => tag.trim().replace(/^W\//, '') === file.etag)) return reply.code(304).send();
  const accepted = acceptedCodings(request.headers['accept-encoding']);
  if (file.br && accepted.has('br')) return reply.header('content-encoding', 'br').send(file.br);
  if (file.gzip && (accepted.has('gzip') || accepted.has('x-gzip'))) return reply.header('content-encoding', 'gzip').send(file.gzip);
  return reply.send(file.identity);
};

/**
 * Serves the web application at / beside the API, from memory: hashed assets cached for a year, the shell and the service
 * worker always revalidated (by ETag), each sent pre-compressed (br or gzip, written at build time) when the browser
 * accepts it.
 */
export const registerWebApp = async (app: FastifyInstance, web: WebOptions): Promise<void> => {
  if (!existsSync(join(web.root, 'index.html'))) {
    throw new Error(`No built web application in ${web.root} (index.html is missing): run \`pnpm --filter @dms/web build\`.`);
  }
  const build = readBuild(web.root);
  await app.register(async (scope) => {
    const config = { public: true } as const;
    const schema = { hide: true };
    // A build without the areas' copies gets index.html, which loads the same chunks, only later.
    const copies = new Set(['console-home.html', 'console.html', 'portal.html'].filter((f) => build.has(f)));
    const csp = appCsp(inlineScriptsOf(['index.html', ...copies].map((f) => join(web.root, f))));
    const shell = (request: FastifyRequest, reply: FastifyReply) => {
      const file = shellOf(request.url.split('?')[0]!);
      return sendBuilt(request, reply, build.get(copies.has(file) ? file : 'index.html'));
    };
    for (const url of CLIENT_ROUTES) scope.get(url, { config, schema }, shell);
    scope.get('/assets/*', { config, schema }, (request, reply) => sendBuilt(request, reply, build.get(`assets/${(request.params as { '*': string })['*']}`)));
    // The files at the top of the build (sw.js, manifest, icons): fixed names, so always revalidated.
    for (const name of build.keys()) {
      if (name.includes('/') || name.endsWith('.html')) continue;
      scope.get(`/${name}`, { config, schema }, (request, reply) => sendBuilt(request, reply, build.get(name)));
    }

    // Runs after the API's own onSend (no-store, and a policy that forbids everything, right for JSON): the app's files
    // get a policy that lets them run, and caching: hashed assets for a year, everything else revalidated each time.
    scope.addHook('onSend', async (request, reply, payload) => {
      reply.header('content-security-policy', csp);
      const immutable = request.url.startsWith('/assets/') && reply.statusCode === 200;
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return payload;
    });
  });
};
