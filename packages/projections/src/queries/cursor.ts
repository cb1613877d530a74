/** Opaque keyset cursors: the sort key of the last row returned, base64url-encoded JSON. */
export const encodeCursor = (key: readonly (string | number)[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
  readonly code = 'INVALID_CURSOR';
}

export const decodeCursor = (cursor: string, arity: number): (string | number)[] => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === 'string' || typeof k === 'number')) return key;
  } catch {
    // fall through
  }
  throw new InvalidCursor('The cursor is not one this API returned; start again without it.');
};
