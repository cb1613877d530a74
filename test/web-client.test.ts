import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWebClient, staleWebClientFiles } from '../scripts/web-client';

describe("the web application's typed client", () => {
  it('is generated from the current OpenAPI document (after a route change: pnpm --filter @dms/web generate)', async () => {
    const stale = staleWebClientFiles(join(import.meta.dirname, '..'), await generateWebClient());
    expect(stale, `stale: ${stale.join(', ')}; run pnpm --filter @dms/web generate`).toEqual([]);
  });
});
