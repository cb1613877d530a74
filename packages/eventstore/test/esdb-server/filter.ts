/**
 * Server-side filtering of `$all` (reads and subscriptions): on the stream name or on the event type, by a list of
 * prefixes or by a regular expression.
 *
 * As on EventStoreDB: a regex is used when one is given (it matches anywhere in the name, unanchored, like .NET's
 * `Regex.IsMatch`; it is compiled as a JavaScript RegExp, so the .NET-only syntax is not supported); otherwise an
 * event passes when the name starts with one of the prefixes (an empty list matches nothing).
 *
 * Checkpoints (subscriptions only): the server counts every event it considers, matching or not, and every
 * `checkpointIntervalMultiplier x maxSearchWindow` of them sends a checkpoint carrying the position of the last
 * considered event. The search window is `max` when the client sets it, else 32 (the server's read batch size).
 */
import type { StoredEvent } from './log';
import { errors, type streamsPb } from './proto';

type FilterOptions = InstanceType<typeof streamsPb.ReadReq.Options.FilterOptions>;

export interface EventFilter {
  readonly matches: (event: StoredEvent) => boolean;
  /** Considered events between two checkpoints. */
  readonly checkpointInterval: number;
  readonly description: string;
}

/** The server's read batch size, the default search window. */
export const DEFAULT_SEARCH_WINDOW = 32;

export const parseFilter = (options: FilterOptions): EventFilter => {
  const onStream = options.hasStreamIdentifier();
  const expression = onStream ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) throw errors.invalidArgument('A filter needs a stream identifier or an event type expression.');
  const regexText = expression.getRegex();
  const prefixes = expression.getPrefixList();
  let test: (name: string) => boolean;
  if (regexText) {
    let regex: RegExp;
    try {
      regex = new RegExp(regexText);
    } catch (error) {
      throw errors.invalidArgument(`Invalid filter regex '${regexText}': ${(error as Error).message}`);
    }
    test = (name) => regex.test(name);
  } else {
    test = (name) => prefixes.some((prefix) => name.startsWith(prefix));
  }
  const window = options.hasMax() && options.getMax() > 0 ? options.getMax() : DEFAULT_SEARCH_WINDOW;
  const multiplier = options.getCheckpointintervalmultiplier();
  if (multiplier <= 0) throw errors.invalidArgument('The checkpoint interval multiplier must be greater than 0.');
  return {
    matches: onStream ? (e) => test(e.streamName) : (e) => test(e.type),
    checkpointInterval: multiplier * window,
    description: `${onStream ? 'stream' : 'event type'} ${regexText ? `/${regexText}/` : `prefixes [${prefixes.join(', ')}]`}`,
  };
};
