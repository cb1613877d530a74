// Writes docs/events.md from the domain's zod schemas. Run with `pnpm docs:events`.
import { writeFileSync } from 'node:fs';
import { renderEventCatalogue } from '../packages/domain/src/index';

writeFileSync(new URL('../docs/events.md', import.meta.url), renderEventCatalogue());
console.log('docs/events.md written');
