import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain script (scripts/check-cycles.mjs) without type declarations
import { cyclesIn } from '../scripts/check-cycles.mjs';

/** The import-cycle check that .ci/run runs (`pnpm check:cycles`): it finds circles, and only circles. */
describe('import cycle check', () => {
  const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

  it('finds a circle of two files and a longer one, each once', () => {
    const cycles: string[][] = cyclesIn(
      graph({ 'state.ts': ['stock.ts'], 'stock.ts': ['state.ts'], 'bus.ts': ['a.ts'], 'a.ts': ['b.ts'], 'b.ts': ['bus.ts', 'leaf.ts'], 'leaf.ts': [] }),
    );
    expect(cycles.map((c) => [...c].sort())).toEqual(
      expect.arrayContaining([
        ['state.ts', 'stock.ts'],
        ['a.ts', 'b.ts', 'bus.ts'],
      ]),
    );
    expect(cycles).toHaveLength(2);
  });

  it('finds none where the arrows point one way, however they fan out and meet again', () => {
    expect(
      cyclesIn(
        graph({
          'bus.ts': ['modules.ts', 'service.ts'],
          'modules.ts': ['a.ts', 'b.ts'],
          'a.ts': ['service.ts'],
          'b.ts': ['service.ts', 'a.ts'],
          'service.ts': [],
        }),
      ),
    ).toEqual([]);
  });
});
