import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderEventCatalogue } from './event-catalogue';
import { eventSchemas } from './registry';

describe('the event catalogue in docs/events.md', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../../docs/events.md', import.meta.url)), 'utf8');

  it('is up to date with the schemas (run `pnpm docs:events` after changing an event)', () => {
    expect(doc).toBe(renderEventCatalogue());
  });

  it('lists every event type', () => {
    for (const type of eventSchemas.keys()) expect(doc).toContain(`### ${type}\n`);
  });
});
