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
