import { describe, expect, it } from 'vitest';
import { sniffMismatch } from './content';

const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

describe('checking a file against its declared type', () => {
  it('accepts files that begin as their type says', () => {
    expect(sniffMismatch('application/pdf', bytes('%PDF-1.7\n'))).toBeUndefined();
    expect(sniffMismatch('image/png', bytes([0x89], 'PNG\r\n', [0x1a, 0x0a], 'rest'))).toBeUndefined();
    expect(sniffMismatch('image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0]))).toBeUndefined();
    expect(sniffMismatch('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes('PK', [3, 4]))).toBeUndefined();
    expect(sniffMismatch('text/csv', bytes('sku,price\nPMP-001,1200\n'))).toBeUndefined();
    expect(sniffMismatch('text/plain', bytes('价格政策 2027'))).toBeUndefined();
  });
  it('refuses a file whose bytes are of another type, and text that is markup or binary', () => {
    expect(sniffMismatch('application/pdf', bytes('<html><script>alert(1)</script>'))).toBe('does not begin like a PDF file');
    expect(sniffMismatch('image/png', bytes([0xff, 0xd8, 0xff]))).toBe('does not begin like a PNG file');
    expect(sniffMismatch('text/plain', bytes('  <!DOCTYPE html><p>hi'))).toMatch(/HTML/);
    expect(sniffMismatch('text/plain', bytes('<svg onload=alert(1)>'))).toMatch(/SVG/);
    expect(sniffMismatch('text/csv', bytes('a,b', [0], 'c'))).toBe('is not UTF-8 text');
    expect(sniffMismatch('text/plain', bytes([0xc3, 0x28]))).toBe('is not UTF-8 text');
    expect(sniffMismatch('application/pdf', bytes())).toBe('does not begin like a PDF file');
  });
});
