import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
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

/**
 * Serves the web application at / beside the API: hashed assets cached for a year, the shell and the service worker always
 * revalidated, each sent pre-compressed (br or gzip, written at build time) when the browser accepts it.
 */
export const registerWebApp = async (app: FastifyInstance, web: WebOptions): Promise<void> => {
  if (!existsSync(join(web.root, 'index.html'))) {
    throw new Error(`No built web application in ${web.root} (index.html is missing): run \`pnpm --filter @dms/web build\`.`);
  }
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, { root: web.root, serve: false, preCompressed: true, cacheControl: false, index: false });
    const config = { public: true } as const;
    const schema = { hide: true };
    // A build without the areas' copies gets index.html, which loads the same chunks, only later.
    const copies = new Set(['console-home.html', 'console.html', 'portal.html'].filter((f) => existsSync(join(web.root, f))));
    const csp = appCsp(inlineScriptsOf(['index.html', ...copies].map((f) => join(web.root, f))));
    const shell = (request: FastifyRequest, reply: FastifyReply) => {
      const file = shellOf(request.url.split('?')[0]!);
      return reply.sendFile(copies.has(file) ? file : 'index.html');
    };
    for (const url of CLIENT_ROUTES) scope.get(url, { config, schema }, shell);
    scope.get('/assets/*', { config, schema }, (request, reply) => {
      const file = (request.params as { '*': string })['*'];
      return reply.sendFile(`assets/${file}`);
    });
    // The files at the top of the build (sw.js, manifest, icons): fixed names, so always revalidated.
    for (const name of readdirSync(web.root)) {
      if (name.endsWith('.html') || /\.(br|gz)$/.test(name) || !statSync(join(web.root, name)).isFile()) continue;
      scope.get(`/${name}`, { config, schema }, (_request, reply) => reply.sendFile(name));
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
