import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The architecture, held by CI: dependencies point one way (domain <- eventstore <- app <- projections <- api, cli), packages
 * meet only through each other's public `src/index.ts` (or a light entry a package exports beside it for the CLI's start-up,
 * such as `@dms/eventstore/data-folder-lock`: see LIGHT_ENTRIES), and the domain stays pure (no I/O, clock or randomness).
 */
const root = join(import.meta.dirname, '..');
const LAYERS = ['domain', 'eventstore', 'app', 'projections', 'api', 'cli'] as const;
const ALLOWED: Record<(typeof LAYERS)[number], readonly string[]> = {
  domain: [],
  eventstore: ['domain'],
  app: ['domain', 'eventstore'],
  projections: ['domain', 'eventstore', 'app'],
  api: ['domain', 'eventstore', 'app', 'projections'],
  cli: ['domain', 'eventstore', 'app', 'projections', 'api'],
};

/** Subpaths a package exports beside its index: small modules `dms` reads before it loads the rest (cli/src/main.ts). */
const LIGHT_ENTRIES = ['@dms/eventstore/data-folder-lock', '@dms/projections/config'];
const exported = (spec: string) => {
  const [, name, sub] = /^@dms\/([a-z]+)(\/.*)$/.exec(spec) ?? [];
  if (!name || !sub) return false;
  const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { exports?: Record<string, string> };
  return LIGHT_ENTRIES.includes(spec) && manifest.exports?.[`.${sub}`] !== undefined;
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'testing.ts' && name !== 'fixtures.ts' ? [path] : [];
  });

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? '',
  );

describe('architecture', () => {
  for (const layer of LAYERS) {
    it(`${layer} imports only ${ALLOWED[layer].length ? ALLOWED[layer].join(', ') : 'no other DMS package'}, through their public entry`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(join(root, 'packages', layer, 'src'))) {
        for (const spec of importsOf(file)) {
          const dms = /^@dms\/([a-z]+)(\/.*)?$/.exec(spec);
          if (dms && (!ALLOWED[layer].includes(dms[1]!) || (dms[2] && !exported(spec)))) violations.push(`${relative(root, file)} imports ${spec}`);
          if (spec.includes('../../') && spec.includes('packages')) violations.push(`${relative(root, file)} reaches into ${spec}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it('shows the same picture of the layers in docs/architecture.md and in every package README', () => {
    const picture = (text: string) => /```text\n {2}web[\s\S]*?```/.exec(text)?.[0];
    const expected = picture(readFileSync(join(root, 'docs', 'architecture.md'), 'utf8'));
    expect(expected).toContain('eventstore');
    const differing = readdirSync(join(root, 'packages'))
      .filter((name) => statSync(join(root, 'packages', name)).isDirectory())
      .filter((name) => {
        const readme = join(root, 'packages', name, 'README.md');
        return !existsSync(readme) || picture(readFileSync(readme, 'utf8')) !== expected;
      });
    expect(differing).toEqual([]);
  });

  it('keeps the web application on HTTP: it imports no DMS package and reaches into none', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : /\.tsx?$/.test(name) ? [join(dir, name)] : []));
    const violations = files(join(root, 'packages', 'web', 'src')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('@dms/') || (spec.startsWith('.') && !resolve(dirname(file), spec).startsWith(join(root, 'packages', 'web'))))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(violations).toEqual([]);
  });

  it('keeps the domain pure: no I/O modules, no clock, no randomness', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(join(root, 'packages', 'domain', 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.') && !['zod', 'fp-ts/Either', 'fp-ts'].includes(spec)) violations.push(`${relative(root, file)} imports ${spec}`);
      }
      for (const banned of [/\bDate\.now\(/, /\bnew Date\(/, /\bMath\.random\(/, /\bprocess\./, /\bcrypto\./, /\bsetTimeout\(/]) {
        if (banned.test(text)) violations.push(`${relative(root, file)} uses ${banned.source}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
