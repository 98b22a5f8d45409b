import type { FieldError } from '../../../common/errors/domain.exception';

/**
 * What every format's reader shares: the formats, a record as read (before normalization), the
 * error that refuses a whole file, and strict UTF-8 decoding. The entry point is import-readers.ts.
 */
export type ImportFormat = 'csv' | 'json' | 'markdown' | 'zip';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['csv', 'json', 'markdown', 'zip'];

/** One record found in a file, before normalization; `fields` null when it could not be read. */
export interface RawRow {
  source: string | null;
  fields: Record<string, unknown> | null;
  errors: FieldError[];
}

/** The whole file is unusable (not UTF-8, not CSV/JSON, wrong columns, a zip bomb): nothing is imported. */
export class ImportFileError extends Error {}

/**
 * The most one record (a CSV line, a JSON prompt with its history, a Markdown file) may take, in
 * bytes (characters for JSON): a record is held in memory whole, so this, not the file's size,
 * bounds what reading takes. A valid prompt is far smaller (content ≤ 100,000 characters, at most
 * 1,000 versions of it in JSON).
 */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
export const RECORD_TOO_LARGE = `larger than ${MAX_RECORD_BYTES / 1024 / 1024} MB, the most one prompt may take`;

export function detectFormat(filename: string): ImportFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'json') return 'json';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  if (ext === 'zip') return 'zip';
  return null;
}

/** Strict UTF-8: a byte sequence that is not UTF-8 fails the file instead of becoming U+FFFD. */
export async function* utf8(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let offset = 0;
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new ImportFileError(
        `The file is not valid UTF-8 text (near byte ${offset}); save it as UTF-8 and upload it again`,
      );
    }
  };
  for await (const chunk of input) {
    const text = decode(chunk);
    offset += chunk.length;
    if (text) yield text;
  }
  const rest = decode();
  if (rest) yield rest;
}

/** The whole input, or null once it is over `max` bytes (what was read is dropped). */
export async function readAll(input: AsyncIterable<Buffer>, max = Infinity): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += chunk.length;
    if (size > max) return null;
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}
