import type { ResourceContentType } from './commands';

/** The largest file the library takes by default (20 MiB): price policies, sheets and kits, not videos of a whole course. */
export const RESOURCE_MAX_BYTES = 20 * 1024 * 1024;

/** How many leading bytes `sniffMismatch` needs to decide. */
export const SNIFF_BYTES = 512;

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const SIGNATURES: Partial<Record<ResourceContentType, (b: Uint8Array) => boolean>> = {
  'application/pdf': (b) => startsWith(b, ascii('%PDF-')),
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')),
  'image/webp': (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8),
  'application/zip': (b) => startsWith(b, ZIP),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (b) => startsWith(b, ZIP),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': (b) => startsWith(b, ZIP),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': (b) => startsWith(b, ZIP),
  'video/mp4': (b) => startsWith(b, ascii('ftyp'), 4),
};

/** Markup a browser would render or run if it ever sniffed a text file as a page. */
const MARKUP = /^\s*<(!doctype|html|head|body|script|svg|iframe|object|\?xml)/i;

const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch (error) {
    // A multi-byte character cut at the end of the sniffed prefix is not an error of the file.
    return error instanceof TypeError && bytes.length >= SNIFF_BYTES && isUtf8(bytes.subarray(0, bytes.length - 3));
  }
};

/**
 * Why the first bytes of a file do not match its declared content type, or undefined when they do: a PDF must begin
 * `%PDF-`, a PNG with its signature, and so on; text must be UTF-8 without NUL and not begin like HTML, SVG or XML.
 * Pure: the caller reads the first {@link SNIFF_BYTES} bytes (fewer for a shorter file).
 *
 * @example
 *   sniffMismatch('application/pdf', new TextEncoder().encode('%PDF-1.7')) // undefined
 *   sniffMismatch('application/pdf', new TextEncoder().encode('<html>'))   // 'does not begin like a PDF file'
 */
export const sniffMismatch = (declared: ResourceContentType, head: Uint8Array): string | undefined => {
  const signature = SIGNATURES[declared];
  if (signature) return signature(head) ? undefined : `does not begin like a ${LABELS[declared] ?? declared} file`;
  if (head.includes(0) || !isUtf8(head)) return 'is not UTF-8 text';
  if (MARKUP.test(new TextDecoder().decode(head))) return 'looks like HTML, SVG or XML, which the library does not take';
  return undefined;
};

const LABELS: Partial<Record<ResourceContentType, string>> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/zip': 'ZIP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word (.docx)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel (.xlsx)',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint (.pptx)',
  'video/mp4': 'MP4',
};
