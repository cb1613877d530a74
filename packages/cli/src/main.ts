import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { dataFolderRefusal } from '@dms/eventstore/data-folder-lock';
import type { DmsRuntime } from '@dms/projections';
import { embeddedFolder, loadConfig } from '@dms/projections/config';
import { type Command, type CommandContext, type Flags, type OpenOptions, UsageError } from './command';
import { COMMANDS } from './command-table';
import { commandHelp, generalHelp } from './help';

export interface MainOptions {
  /** The clock commands are stamped with and "today" is taken from; tests inject a fixed one. */
  readonly now?: () => Date;
  /**
   * This process runs one command and exits (bin/dms.js, not a test): a command that is not `long` compiles embedded
   * PGlite's WebAssembly with V8's baseline compiler only (`--liftoff-only`), skipping the optimising compiler's work on
   * a module of several megabytes, a third of such a command's CPU; a flag of the whole process, hence not in tests.
   */
  readonly ownProcess?: boolean;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

const isHelp = (arg: string | undefined) => arg === 'help' || arg === '--help' || arg === '-h';

/** Runs one `dms` command line and returns its exit code: 0 done, 64 bad usage, 1 failed, 2 done but something is wrong. */
export const main = async (argv: readonly string[], options: MainOptions = {}): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined || isHelp(name)) {
    const about = rest.find((a) => !a.startsWith('-'));
    const cmd = about === undefined ? undefined : COMMANDS.find((c) => c.name === about);
    if (about !== undefined && !cmd) {
      err(`dms: unknown command "${about}".\n\n${generalHelp(COMMANDS)}`);
      return 64;
    }
    out(cmd ? commandHelp(cmd) : generalHelp(COMMANDS));
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    err(`dms: unknown command "${name}".\n\n${generalHelp(COMMANDS)}`);
    return 64;
  }

  let parsed: { flags: Record<string, string | number | boolean | undefined>; positionals: string[]; help: boolean };
  try {
    parsed = parse(cmd, rest);
  } catch (error) {
    return usageError(cmd, (error as Error).message);
  }
  const [sub, ...args] = parsed.positionals;
  if (parsed.help || isHelp(sub)) {
    out(commandHelp(cmd));
    return 0;
  }
  if (cmd.subcommands && !cmd.subcommands.includes(sub ?? '')) {
    return usageError(cmd, sub === undefined ? `dms ${cmd.name} needs a subcommand.` : `dms ${cmd.name} has no subcommand "${sub}".`);
  }

  // An embedded data folder another process holds: refused now, before the command's code (and PGlite) loads, so that a
  // second process is told at once. open() checks again as it takes the folder.
  const folder = embeddedFolder(loadConfig());
  const refusal = folder === null ? null : dataFolderRefusal(folder, cmd.exclusive === true);
  if (refusal) {
    err(`dms: ${refusal.message}`);
    return 1;
  }

  if (options.ownProcess && !cmd.long) setFlagsFromString('--liftoff-only');

  let runtime: DmsRuntime | undefined;
  const context: CommandContext<Flags> = {
    sub,
    args,
    flags: parsed.flags as CommandContext<Flags>['flags'],
    now: options.now ?? (() => new Date()),
    out,
    err,
    open: async (openOptions: OpenOptions = {}) => {
      if (!runtime) {
        const { openDms } = await import('@dms/projections');
        runtime = await openDms(loadConfig(), openOptions);
        err(`[dms] data: ${runtime.description}`);
      }
      return runtime;
    },
  };
  try {
    return await cmd.execute(context);
  } catch (error) {
    if (error instanceof UsageError) return usageError(cmd, error.message);
    err(`dms: ${(error as Error).message}`);
    return 1;
  } finally {
    await runtime?.close();
  }
};

const usageError = (cmd: Command, message: string): number => {
  err(`${message}\n\nUsage:\n${cmd.usage.map((u) => `  dms ${u}`).join('\n')}\n\nMore: dms ${cmd.name} --help`);
  return 64;
};

/** Parses the command's own flags (and --help), refusing any other; integer flags become numbers, defaults filled in. */
const parse = (cmd: Command, argv: readonly string[]) => {
  const options = Object.fromEntries(
    Object.entries(cmd.flags).map(([flag, spec]) => [flag, { type: spec.kind === 'boolean' ? 'boolean' : 'string' } as const]),
  );
  let result: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    result = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new Error(describeParseError(cmd, error as Error & { code?: string }));
  }
  const { help, ...values } = result.values;
  const flags: Record<string, string | number | boolean | undefined> = {};
  for (const [flag, spec] of Object.entries(cmd.flags)) {
    const value = values[flag];
    if (spec.kind !== 'integer') flags[flag] = value;
    else if (value === undefined) flags[flag] = spec.default;
    else {
      const n = Number(value);
      if (!/^\d+$/.test(String(value)) || !Number.isSafeInteger(n)) throw new Error(`dms ${cmd.name}: --${flag} must be a whole number, not "${value}".`);
      flags[flag] = n;
    }
  }
  return { flags, positionals: result.positionals, help: help === true };
};

const describeParseError = (cmd: Command, error: Error & { code?: string }): string => {
  const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `dms ${cmd.name}: unknown flag ${flag ?? error.message}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return cmd.flags[flag?.replace(/^-+/, '') ?? '']?.kind === 'boolean'
        ? `dms ${cmd.name}: ${flag} takes no value.`
        : `dms ${cmd.name}: ${flag ?? 'a flag'} needs a value.`;
    default:
      return `dms ${cmd.name}: ${error.message}`;
  }
};
