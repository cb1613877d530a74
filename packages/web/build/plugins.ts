import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';

/**
 * Builds src/sw.ts into dist/sw.js once the app is written, with the shell's files (index.html, the entry chunk and what it
 * imports statically, the manifest and icons) as workbox's precache manifest. Other chunks are cached as they are used.
 */
export const serviceWorker = (): Plugin => {
  let shell: { url: string; revision: string | null }[] = [];
  let outDir = 'dist';
  return {
    name: 'dms-service-worker',
    apply: 'build',
    configResolved: (config) => {
      outDir = config.build.outDir;
    },
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      const files = new Set<string>(['index.html', 'manifest.webmanifest', 'icon.svg', 'icon-192.png', 'icon-512.png']);
      if (entry && entry.type === 'chunk') {
        files.add(entry.fileName);
        for (const f of entry.imports) files.add(f);
        for (const f of entry.viteMetadata?.importedCss ?? []) files.add(f);
      }
      // Hashed names are their own revision; the rest get the build's time.
      const revision = String(Date.now());
      shell = [...files].map((f) => ({ url: `/${f}`, revision: /-[\w-]{8}\./.test(f) ? null : revision }));
    },
    closeBundle: async () => {
      await build({
        configFile: false,
        logLevel: 'warn',
        define: { 'self.__WB_MANIFEST': JSON.stringify(shell), 'process.env.NODE_ENV': '"production"' },
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2022',
          lib: { entry: join(import.meta.dirname, '../src/sw.ts'), formats: ['iife'], name: 'dmsServiceWorker', fileName: () => 'sw.js' },
        },
      });
    },
  };
};

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));

/** Writes .br and .gz beside every text asset over 1 KiB, so that `dms serve` sends them compressed at no CPU cost per request. */
export const compressAssets = (): Plugin => {
  let outDir = 'dist';
  return {
    name: 'dms-compress-assets',
    apply: 'build',
    enforce: 'post',
    configResolved: (config) => {
      outDir = config.build.outDir;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler: () => {
        for (const file of files(outDir)) {
          if (!/\.(js|css|html|json|svg|webmanifest)$/.test(file)) continue;
          const body = readFileSync(file);
          if (body.length < 1024) continue;
          writeFileSync(
            `${file}.br`,
            brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
          );
          writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
        }
        console.log(`compressed assets in ${relative(process.cwd(), outDir)}`);
      },
    },
  };
};

/** One module and what it imports, bundled and minified into a classic script's text (an IIFE), not written anywhere. */
const classicScript = async (entry: string): Promise<string> => {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    define: { 'process.env.NODE_ENV': '"production"' },
    build: { write: false, target: 'es2022', minify: true, lib: { entry, formats: ['iife'], name: 'dmsEarly', fileName: () => 'early.js' } },
  });
  const chunk = (Array.isArray(output) ? output : [output]).flatMap((o) => ('output' in o ? o.output : [])).find((c) => c.type === 'chunk');
  if (chunk?.type !== 'chunk') throw new Error(`${entry}: nothing built`);
  return chunk.code.trim();
};

/** The first screen of an area: the page its address opens, and the modules whose chunks that page needs before it shows. */
export interface FirstScreen {
  /** The file written beside index.html, which `dms serve` sends for the area's addresses (packages/api/src/web.ts). */
  readonly html: string;
  /** Source modules (paths relative to the app's root) whose chunks, and every chunk those import statically, are preloaded. */
  readonly modules: readonly string[];
  /**
   * A script (path relative to the app's root) built on its own into one classic script and inlined at the top of the page,
   * where it runs as the HTML arrives, before any of the app's code: for calls the first screen will make (src/early.ts).
   * `dms serve` allows exactly the inlined scripts by their hashes in its Content-Security-Policy.
   */
  readonly early?: string;
}

/**
 * Writes a copy of index.html per first screen that also names, as `modulepreload` links, the chunks the screen needs: the
 * browser then fetches them beside the entry chunk instead of after the entry has run and asked for them (a round trip
 * and a whole script's run later). Only the server knows which address is asked for, so the copies are its to choose;
 * index.html stays as it is for every other address, and for the service worker's offline shell.
 */
export const firstScreenPreloads = (screens: readonly FirstScreen[]): Plugin => {
  let outDir = 'dist';
  let root = '';
  const preloads = new Map<string, string[]>();
  return {
    name: 'dms-first-screen-preloads',
    apply: 'build',
    configResolved: (config) => {
      outDir = config.build.outDir;
      root = config.root;
    },
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      const closure = (files: readonly string[], into = new Set<string>()): Set<string> => {
        for (const file of files) {
          if (into.has(file)) continue;
          into.add(file);
          closure(byFile.get(file)?.imports ?? [], into);
        }
        return into;
      };
      const entry = chunks.find((c) => c.isEntry);
      const loadedByEntry = closure(entry ? [entry.fileName] : []);
      for (const screen of screens) {
        const files = screen.modules.map((module) => {
          const chunk = chunks.find((c) => c.facadeModuleId === join(root, module));
          if (!chunk) this.error(`first screen ${screen.html}: no chunk is built from ${module}`);
          return chunk.fileName;
        });
        preloads.set(
          screen.html,
          [...closure(files)].filter((f) => !loadedByEntry.has(f)),
        );
      }
    },
    writeBundle: async () => {
      const index = readFileSync(join(outDir, 'index.html'), 'utf8');
      for (const screen of screens) {
        const links = (preloads.get(screen.html) ?? []).map((f) => `    <link rel="modulepreload" crossorigin href="/${f}">\n`).join('');
        const early = screen.early ? `    <script>${await classicScript(join(root, screen.early))}</script>\n` : '';
        const html = index.replace('  </head>', `${links}  </head>`).replace(/(<meta charset="UTF-8" \/>\n)/, `$1${early}`);
        if (early && !html.includes(early)) throw new Error(`first screen ${screen.html}: no <meta charset> to put its early script after`);
        writeFileSync(join(outDir, screen.html), html);
      }
    },
  };
};
