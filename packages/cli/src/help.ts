import type { Command } from './command';

const DATA = 'Data: DATABASE_URL=postgres://... for a PostgreSQL server; otherwise embedded PGlite in DMS_DATA_DIR (default .dms-data).';

/** `dms help`: one line per command, in the table's order. */
export const generalHelp = (commands: readonly Command[]): string => {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'dms — dealer/distributor management',
    '',
    'Usage: dms <command> [subcommand] [arguments] [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'dms <command> --help (or dms help <command>) prints its usage, flags and examples.',
    DATA,
  ].join('\n');
};

/** `dms <command> --help`: the command's usage lines, every flag it accepts, and examples. */
export const commandHelp = (cmd: Command): string => {
  const flags = [
    ...Object.entries(cmd.flags).map(([name, flag]) => ({
      left: `--${name}${flag.value ? ` ${flag.value}` : ''}`,
      right: `${flag.description}${flag.default !== undefined ? ` (default ${flag.default})` : ''}`,
    })),
    { left: '-h, --help', right: 'this help' },
  ];
  const width = Math.max(...flags.map((f) => f.left.length));
  return [
    `dms ${cmd.name}: ${cmd.summary}`,
    '',
    'Usage:',
    ...cmd.usage.map((u) => `  dms ${u}`),
    '',
    'Flags:',
    ...flags.map((f) => `  ${f.left.padEnd(width)}  ${f.right}`),
    '',
    cmd.examples.length > 1 ? 'Examples:' : 'Example:',
    ...cmd.examples.map((e) => `  dms ${e}`),
    '',
    DATA,
  ].join('\n');
};
