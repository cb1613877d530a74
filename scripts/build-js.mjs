// Builds what the `dms` command runs to JavaScript, so that it starts without compiling TypeScript: the CLI
// (packages/cli/src/main.ts) bundled with the workspace packages it imports (@dms/*, from their TypeScript sources) into
// packages/cli/dist, split at every dynamic import. Each command's code is imported only when that command runs
// (command-table.ts), so `dms help` loads one small file and a query command a few chunks instead of hundreds of
// modules. Run at install (postinstall); `pnpm build` runs it again. bin/dms.js uses dist/ while it is newer than every
// source, and the sources through tsx otherwise.
//
// Packages from node_modules stay outside the bundle (some load files next to their own code: PGlite its WebAssembly,
// @fastify/swagger-ui its assets), imported by the absolute path of the file they resolve to from the importing source,
// as that source would have found them. Bundled from node_modules: kysely (hundreds of small modules, a fifth of a query
// command's start-up when loaded one by one), zod (95 modules that every command loads through the domain's schemas) and
// fastify-type-provider-zod, the one package outside that imports zod, so that the API's routes and the domain share one
// copy of it. `import.meta.url` in a source keeps meaning that source's own file.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages', 'cli');
/** Bundled from node_modules: pure JavaScript, imported by no package that stays outside. */
const BUNDLED = new Set(['kysely', 'zod', 'fastify-type-provider-zod']);

const packageName = (specifier) => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
};

const workspace = {
  name: 'dms-workspace',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('node:')) return undefined;
      const name = packageName(args.path);
      if (name.startsWith('@dms/') || BUNDLED.has(name)) return undefined; // bundled
      const resolved = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'resolving' });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      // A Node built-in without the node: prefix resolves to itself.
      return { path: resolved.external ? args.path : resolved.path, external: true };
    });
    b.onLoad({ filter: /[/\\]packages[/\\][a-z-]+[/\\]src[/\\].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

export const buildJs = async () => {
  // The per-package dist/ folders an earlier build wrote are no longer used.
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'web') rmSync(join(root, 'packages', entry.name, 'dist'), { recursive: true, force: true });
  }
  const result = await build({
    entryPoints: [join(cli, 'src', 'main.ts')],
    outdir: join(cli, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    metafile: true,
    absWorkingDir: root,
    plugins: [workspace],
  });
  // bin/dms.js compares this stamp with the sources' modification times.
  writeFileSync(join(cli, 'dist', '.built'), `${new Date().toISOString()}\n`);
  return result;
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { metafile } = await buildJs();
  const inputs = Object.keys(metafile.inputs).filter((i) => i.startsWith('packages/')).length;
  const outputs = Object.keys(metafile.outputs).filter((o) => o.endsWith('.js')).length;
  console.log(`dms: built the CLI to JavaScript, ${inputs} workspace sources in ${outputs} files, in ${Math.round(performance.now() - started)} ms`);
}
