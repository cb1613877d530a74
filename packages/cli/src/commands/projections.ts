import type { DmsRuntime } from '@dms/projections';
import { ProgressBar } from '../ui/progress';
import { renderTable } from '../ui/table';

type Out = (line: string) => void;

export const projectionsStatus = async (runtime: DmsRuntime, out: Out): Promise<number> => {
  const status = await runtime.runner.status();
  out(
    renderTable(status, [
      { header: 'projection', value: (s) => s.name },
      { header: 'version', value: (s) => s.version, align: 'right' },
      { header: 'checkpoint', value: (s) => s.position ?? '(start)' },
      { header: 'head', value: (s) => s.headPosition ?? '(empty)' },
      { header: 'behind', value: (s) => `${s.behind}${s.behindCapped ? '+' : ''}`, align: 'right' },
      { header: 'updated', value: (s) => s.updatedAt?.toISOString().replace('T', ' ').slice(0, 19) ?? '' },
    ]),
  );
  out('');
  out('behind = events this projection handles that it has not applied yet. Run `dms serve` to keep them live.');
  return 0;
};

export const projectionsRebuild = async (runtime: DmsRuntime, names: readonly string[], out: Out): Promise<number> => {
  const targets = names.length > 0 ? names : runtime.runner.projections.map((p) => p.name);
  for (const name of targets) {
    const bar = new ProgressBar(`Rebuilding ${name}`);
    const result = await runtime.runner.rebuild(name, (p) => bar.update(p.fraction, `${p.events} events`));
    bar.done(`${result.events} events, swapped in at position ${result.position ?? '(start)'}`);
  }
  out('Rebuilt from position 0 into fresh tables; readers saw the old tables until each swap.');
  return 0;
};
