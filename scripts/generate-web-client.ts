// Writes packages/web/src/api/generated/ from the API's routes. Run with `pnpm --filter @dms/web generate` (or from the root).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateWebClient } from './web-client';

const root = join(import.meta.dirname, '..');
for (const file of await generateWebClient()) {
  mkdirSync(dirname(join(root, file.path)), { recursive: true });
  writeFileSync(join(root, file.path), file.content);
  console.log(`${file.path} written`);
}
