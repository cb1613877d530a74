import type { DmsRuntime } from '@dms/projections';

/**
 * The shape of one `dms` command, as the command table (command-table.ts) declares it. Everything `dms <name> --help`
 * prints comes from here, and the flags declared here are the only ones the command accepts.
 */

/** A flag: `string` takes a value, `integer` a whole number >= 0 (checked before the command runs), `boolean` none. */
export interface Flag {
  readonly kind: 'string' | 'integer' | 'boolean';
  /** Placeholder in the usage: `--status S`. */
  readonly value?: string;
  readonly description: string;
  readonly default?: number;
}

export type Flags = Readonly<Record<string, Flag>>;

/** What the command's `run` sees of its flags: strings, numbers and booleans, with integer defaults filled in. */
export type FlagValues<F extends Flags> = {
  readonly [K in keyof F]: F[K] extends { kind: 'boolean' }
    ? boolean | undefined
    : F[K] extends { kind: 'integer'; default: number }
      ? number
      : F[K] extends { kind: 'integer' }
        ? number | undefined
        : string | undefined;
};

/** Bad usage: main prints the message and the command's usage, and exits 64. */
export class UsageError extends Error {}

export interface OpenOptions {
  /**
   * Embedded data only: refuse when another process holds the folder, even a `dms serve` that shares it (`dms serve`
   * itself, the demo). Other commands then run through that server.
   */
  readonly exclusive?: boolean;
  /** Warnings of the live process managers go here (`dms serve`). */
  readonly logger?: { info(msg: string, data?: object): void; warn(msg: string, data?: object): void; error(msg: string, data?: object): void };
}

export interface CommandContext<F extends Flags> {
  /** The subcommand (`list` in `dms orders list`), if any. */
  readonly sub: string | undefined;
  /** The positional arguments after the subcommand. */
  readonly args: readonly string[];
  readonly flags: FlagValues<F>;
  /** The clock commands are stamped with and "today" is taken from. */
  readonly now: () => Date;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Opens the database (once; main closes it). Commands call it only after their arguments are checked. */
  open(options?: OpenOptions): Promise<DmsRuntime>;
}

export interface CommandSpec<M, F extends Flags> {
  readonly name: string;
  /** One line for `dms help`. */
  readonly summary: string;
  /** The accepted subcommands, checked before anything is loaded; omit for a command without any. */
  readonly subcommands?: readonly string[];
  /**
   * Needs an embedded data folder to itself (`open({ exclusive: true })`): refused, before its code loads, even while a
   * `dms serve` shares the folder. Other commands are refused then only by a holder that does not share it.
   */
  readonly exclusive?: boolean;
  /**
   * Runs for long or works through much of the data (a server, the demo, a rebuild, an audit): embedded PGlite's
   * WebAssembly is optimised as usual. For every other command it runs on V8's baseline code only (Liftoff), which
   * starts a third faster and is quick enough for a query (main.ts, `ownProcess`).
   */
  readonly long?: boolean;
  /** Usage lines, each without the leading `dms `. */
  readonly usage: readonly string[];
  readonly flags: F;
  /** Whole command lines, without the leading `dms `. */
  readonly examples: readonly string[];
  /** Imports the command's module: only when the command runs, so `dms help` loads nothing else. */
  readonly load: () => Promise<M>;
  /** Runs the command; returns the exit code. Throw UsageError for bad arguments. */
  readonly run: (module: M, context: CommandContext<F>) => Promise<number>;
}

/** A table entry with the types of its module and flags erased, so entries of different commands share one array. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly subcommands?: readonly string[];
  readonly exclusive?: boolean;
  readonly long?: boolean;
  readonly usage: readonly string[];
  readonly flags: Flags;
  readonly examples: readonly string[];
  execute(context: CommandContext<Flags>): Promise<number>;
}

/** Declares a command: infers its module's and its flags' types for `run`. */
export const command = <M, const F extends Flags>(spec: CommandSpec<M, F>): Command => ({
  name: spec.name,
  summary: spec.summary,
  ...(spec.subcommands ? { subcommands: spec.subcommands } : {}),
  ...(spec.exclusive ? { exclusive: true } : {}),
  ...(spec.long ? { long: true } : {}),
  usage: spec.usage,
  flags: spec.flags,
  examples: spec.examples,
  execute: async (context) => spec.run(await spec.load(), context as unknown as CommandContext<F>),
});

export const text = (value: string, description: string) => ({ kind: 'string', value, description }) as const;
export function integer(value: string, description: string): { readonly kind: 'integer'; readonly value: string; readonly description: string };
export function integer(
  value: string,
  description: string,
  fallback: number,
): { readonly kind: 'integer'; readonly value: string; readonly description: string; readonly default: number };
export function integer(value: string, description: string, fallback?: number): Flag {
  return { kind: 'integer', value, description, ...(fallback === undefined ? {} : { default: fallback }) };
}
export const boolean = (description: string) => ({ kind: 'boolean', description }) as const;
