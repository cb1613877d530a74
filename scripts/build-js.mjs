// Builds the TypeScript packages the `dms` command runs (domain, eventstore, app, projections, api, cli) to JavaScript, one
// .js file per .ts file in each package's dist/, so that `dms` starts without compiling TypeScript (bin/dms.js uses
// dist/ while it is newer than every source, and the sources through tsx otherwise). Run at install (postinstall);
// `pnpm build` runs it again. Imports are rewritten: `@dms/x` to that package's dist, `./a` to `./a.js`; packages from
// node_modules stay as they are, resolved from each package's own folder as before.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGES = ['domain', 'eventstore', 'app', 'projections', 'api', 'cli'];
const packageDir = (name) => join(root, 'packages', name);

/** Every .ts source of a package but its tests. */
const sources = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));

const toPosix = (p) => p.split(sep).join('/');
const asRelative = (from, to) => {
  const r = toPosix(relative(from, to));
  return r.startsWith('.') ? r : `./${r}`;
};

/** Maps a source file (packages/<p>/src/a/b.ts) to its output (packages/<p>/dist/a/b.js). */
const outputOf = (file) => file.replace(`${sep}src${sep}`, `${sep}dist${sep}`).replace(/\.ts$/, '.js');

const rewriteImports = {
  name: 'dms-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind === 'entry-point' || args.pluginData === 'resolving') return undefined;
      const workspace = /^@dms\/([a-z-]+)$/.exec(args.path);
      if (workspace && PACKAGES.includes(workspace[1])) {
        return { path: asRelative(dirname(outputOf(args.importer)), join(packageDir(workspace[1]), 'dist', 'index.js')), external: true };
      }
      if (args.path.startsWith('.')) {
        const resolved = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'resolving' });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: asRelative(dirname(outputOf(args.importer)), outputOf(resolved.path)), external: true };
      }
      return { path: nodeSpecifier(args.path, args.importer), external: true };
    });
  },
};

/**
 * A package's subpath as Node's ESM loader finds it. Bundlers and tsx accept `fp-ts/Either` (a folder with its own
 * package.json); Node does not, for a package without an `exports` map: there it becomes the file CommonJS resolution
 * finds, `fp-ts/lib/Either.js`.
 */
const nodeSpecifier = (specifier, importer) => {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (specifier === name || specifier.startsWith('node:')) return specifier;
  const require = createRequire(importer);
  let manifest;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch {
    return specifier; // an exports map that hides package.json: Node resolves the subpath through it
  }
  if (JSON.parse(readFileSync(manifest, 'utf8')).exports) return specifier;
  return `${name}/${toPosix(relative(dirname(manifest), require.resolve(specifier)))}`;
};

export const buildJs = async () => {
  for (const name of PACKAGES) {
    const dir = packageDir(name);
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    await build({
      entryPoints: sources(join(dir, 'src')),
      outbase: join(dir, 'src'),
      outdir: join(dir, 'dist'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'warning',
      plugins: [rewriteImports],
    });
  }
  // bin/dms.js compares this stamp with the sources' modification times.
  writeFileSync(join(packageDir('cli'), 'dist', '.built'), `${new Date().toISOString()}\n`);
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildJs();
  const files = PACKAGES.reduce((n, p) => n + (existsSync(join(packageDir(p), 'dist')) ? sources(join(packageDir(p), 'src')).length : 0), 0);
  console.log(`dms: built ${files} files of ${PACKAGES.join(', ')} to JavaScript in ${Math.round(performance.now() - started)} ms`);
}
