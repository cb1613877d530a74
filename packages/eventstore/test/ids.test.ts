import { describe, expect, it } from 'vitest';
import { eventIdFor, uuidV5 } from '../src/ids';

describe('event ids', () => {
  it('are RFC 9562 version-5 UUIDs (its example: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('stay what stores already hold: a repeated command must name its events as it did when first run', () => {
    // Pinned from the ids the earlier implementation gave (a createHash object per id).
    expect(eventIdFor('cmd-1', 0)).toBe('1989e563-441c-51c5-a8be-94661ba32db8');
    expect(eventIdFor('命令-ü', 3)).toBe('fba8aefb-2d16-58e5-8203-2de88447a02c');
  });
});
