import type pg from 'pg';

/**
 * One statement of `text` with text parameters (`null` for SQL null), its rows as arrays of column text, unparsed: for
 * the few hot statements that read their own few columns, such as the append. Made by `openDatabase` for its own kysely
 * instance (`rawQueryOf`); every other statement goes through kysely.
 */
export type RawQuery = (text: string, values: readonly (string | null)[]) => Promise<(string | null)[][]>;

/** What `TextRows` uses of node-postgres's connection: the extended protocol's messages and its prepared-statement books. */
interface WireConnection {
  readonly stream: { cork(): void; uncork(): void };
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  parse(query: { name: string; text: string }): void;
  bind(config: { statement: string; values: readonly (string | null)[] }): void;
  execute(config: object): void;
  sync(): void;
}

/**
 * A statement run through node-postgres as a custom submittable (the interface pg-cursor and pg-query-stream use), which
 * does less per call than `client.query`: no copy of a query config, no result object nor a parser per column (built
 * on every call by node-postgres, from a RowDescription it asks for each time), and no Describe message at all: the rows
 * come as text, which the caller parses. A named statement is parsed once per connection, in node-postgres's own books,
 * so `client.query` and this share it. `name` and `text` are read by the client (it records a parsed statement and
 * forgets one that failed to parse).
 */
export class TextRows implements pg.Submittable {
  readonly rows: (string | null)[][] = [];
  #settled = false;

  constructor(
    readonly name: string,
    readonly text: string,
    private readonly values: readonly (string | null)[],
    private readonly done: (error: Error | null, rows: (string | null)[][]) => void,
  ) {}

  /** Called by the client when the connection is free; an error returned is handed to `handleError`. */
  submit(connection: pg.Connection): Error | null {
    const wire = connection as unknown as WireConnection;
    const parsed = this.name === '' ? undefined : (wire.parsedStatements[this.name] ?? wire.submittedNamedStatements[this.name]);
    if (parsed !== undefined && parsed !== this.text) return new Error(`Prepared statement ${this.name} is another statement on this connection.`);
    wire.stream.cork();
    try {
      if (parsed === undefined) {
        wire.parse({ name: this.name, text: this.text });
        if (this.name !== '') wire.submittedNamedStatements[this.name] = this.text;
      }
      wire.bind({ statement: this.name, values: this.values });
      wire.execute({});
      wire.sync();
    } finally {
      wire.stream.uncork();
    }
    return null;
  }

  handleDataRow(message: { fields: (string | null)[] }): void {
    this.rows.push(message.fields);
  }

  /** The server's error (ReadyForQuery follows it) or the connection's (nothing follows): the first one settles. */
  handleError(error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    // The stack of the caller, not of the socket's read (as `client.query` does).
    Error.captureStackTrace(error);
    this.done(error, this.rows);
  }

  handleReadyForQuery(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.done(null, this.rows);
  }

  handleRowDescription(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: { sendCopyFail(message: string): void }): void {
    connection.sendCopyFail('A raw query does not copy.');
  }
  handleCopyData(): void {}
}

/** Runs `text` on a checked-out node-postgres client as `TextRows`, under `name` ('' for an unnamed statement). */
export const textRows = (client: pg.ClientBase, name: string, text: string, values: readonly (string | null)[]): Promise<(string | null)[][]> =>
  new Promise((resolve, reject) => {
    client.query(new TextRows(name, text, values, (error, rows) => (error ? reject(error) : resolve(rows))));
  });
