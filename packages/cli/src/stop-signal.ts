/**
 * How `dms serve` and `dms worker` end: on Ctrl-C (SIGINT) or SIGTERM, with success. The signals are listened for from the
 * moment the command line names one of them (bin/dms.js, before any code loads), not only once it runs: a Ctrl-C while
 * the database opens would otherwise kill the process, and `pnpm dms serve` would report "ELIFECYCLE Command failed".
 * The listeners stay to the end of the process: pnpm passes the terminal's Ctrl-C on once more, maybe while the database
 * is still closing, and that second signal must neither kill the process nor cut the close short.
 *
 * bin/dms.js (plain JavaScript, which cannot import this file) keeps the same record under the same global key.
 */
const KEY = Symbol.for('dms.stop');

interface StopRecord {
  /** Settles with the first of the two signals. */
  readonly stopped: Promise<NodeJS.Signals>;
  /** The first signal received, once there is one. */
  signal?: NodeJS.Signals;
}

/** Starts listening (once per process; later calls return the same record) and returns the first signal's promise. */
export const listenForStop = (): Promise<NodeJS.Signals> => record().stopped;

/** Whether a stop signal has arrived already (for example while the command was starting). */
export const stopRequested = (): boolean => record().signal !== undefined;

const record = (): StopRecord => {
  const holder = globalThis as { [KEY]?: StopRecord };
  if (!holder[KEY]) {
    let settle!: (signal: NodeJS.Signals) => void;
    const entry: StopRecord = { stopped: new Promise((resolve) => (settle = resolve)) };
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.on(signal, () => {
        entry.signal ??= signal;
        settle(signal);
      });
    holder[KEY] = entry;
  }
  return holder[KEY];
};
