#!/usr/bin/env node
// The dms command. Runs the JavaScript built at install (scripts/build-js.mjs, packages/cli/dist) while it is newer than
// every TypeScript source of the packages it bundles (all but the web client); otherwise (a source edited since, never
// built, or DMS_FROM_SOURCE=1) the sources themselves, through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `dms serve` and `dms worker` end on Ctrl-C or SIGTERM, with success: listened for from here on, before any code loads,
// so that a Ctrl-C while they start does not kill them (under `pnpm dms serve`, pnpm would report "Command failed").
// The same record as src/stop-signal.ts keeps, under the same global key.
if (process.argv[2] === 'serve' || process.argv[2] === 'worker') {
  const entry = {};
  entry.stopped = new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'])
      process.on(signal, () => {
        entry.signal ??= signal;
        resolve(signal);
      });
  });
  globalThis[Symbol.for('dms.stop')] = entry;
}

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const builtAt = () => {
  try {
    return statSync(join(packages, 'cli', 'dist', '.built')).mtimeMs;
  } catch {
    return 0;
  }
};
const newestSource = () => {
  let newest = 0;
  for (const name of readdirSync(packages)) {
    if (name === 'web') continue;
    const src = join(packages, name, 'src');
    if (!existsSync(src)) continue;
    for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
};

const built = builtAt();
let main;
if (process.env.DMS_FROM_SOURCE !== '1' && built > 0 && built >= newestSource()) {
  ({ main } = await import('../dist/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
process.exitCode = await main(process.argv.slice(2), { ownProcess: true });
