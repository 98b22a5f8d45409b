import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as parseCsv } from 'csv-parse';
import { parser as jsonParser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamValues } from 'stream-json/streamers/StreamValues';
import { parse as parseYaml } from 'yaml';
import * as yauzl from 'yauzl';
import type { FieldError } from '../../../common/errors/domain.exception';
import { CSV_COLUMNS, unneutralize } from './import-record';

export type ImportFormat = 'csv' | 'json' | 'markdown' | 'zip';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['csv', 'json', 'markdown', 'zip'];
export const JSON_FORMAT_ID = 'prompt-vault/v1';

/** One record found in a file, before normalization; `fields` null when it could not be read. */
export interface RawRow {
  source: string | null;
  fields: Record<string, unknown> | null;
  errors: FieldError[];
}

/** The whole file is unusable (not UTF-8, not CSV/JSON, wrong columns, a zip bomb): nothing is imported. */
export class ImportFileError extends Error {}

/** Zip limits (docs/import-export.md, "Limits"): a zip bomb is refused before anything is inflated. */
export const ZIP_LIMITS = {
  maxEntries: 10_000,
  /** Sum of the declared uncompressed sizes. */
  maxTotalBytes: 1024 * 1024 * 1024,
  /** Uncompressed / compressed, for entries over 1 MiB. */
  maxRatio: 100,
} as const;

export function detectFormat(filename: string): ImportFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'json') return 'json';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  if (ext === 'zip') return 'zip';
  return null;
}

/** Strict UTF-8: a byte sequence that is not UTF-8 fails the file instead of becoming U+FFFD. */
async function* utf8(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
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

async function readAll(input: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of input) parts.push(chunk);
  return Buffer.concat(parts);
}

/**
 * CSV with a header line naming the contract's columns (any order; `title` and `content` are
 * required, unknown columns refuse the file). Streams: one record in memory at a time.
 */
export async function* readCsv(
  input: AsyncIterable<Buffer>,
  name: string | null = null,
): AsyncGenerator<RawRow> {
  const parser = parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  const feed = pipeline(Readable.from(utf8(input)), parser).catch((err: unknown) => err);
  let header: string[] | null = null;
  const at = (line: number) => (name ? `${name}, line ${line}` : `line ${line}`);
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (!header) {
        header = record.map((h) => h.trim());
        const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
        const missing = ['title', 'content'].filter((h) => !header!.includes(h));
        if (unknown.length || missing.length)
          throw new ImportFileError(
            `${name ? `${name}: ` : ''}The CSV header must name the columns ${CSV_COLUMNS.join(',')}` +
              (missing.length ? `; missing: ${missing.join(', ')}` : '') +
              (unknown.length ? `; unknown: ${unknown.join(', ')}` : ''),
          );
        continue;
      }
      if (record.length !== header.length) {
        yield {
          source: at(info.lines),
          fields: null,
          errors: [
            { field: 'row', message: `the row has ${record.length} cells, the header ${header.length}` },
          ],
        };
        continue;
      }
      const fields: Record<string, unknown> = {};
      header.forEach((h, i) => (fields[h] = unneutralize(record[i])));
      yield { source: at(info.lines), fields, errors: [] };
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    const fed = await feed;
    if (fed instanceof ImportFileError) throw fed;
    throw new ImportFileError(`The file is not valid CSV: ${(err as Error).message}`);
  }
  const fed = await feed;
  if (fed instanceof ImportFileError) throw fed;
  if (fed instanceof Error) throw new ImportFileError(`The file is not valid CSV: ${fed.message}`);
  if (!header)
    throw new ImportFileError(`${name ? `${name}: ` : ''}The CSV file is empty: it needs a header line`);
}

/**
 * Our own JSON format (`{format: "prompt-vault/v1", prompts: [...]}`), stream-parsed: each prompt
 * is assembled alone, so a file of any size holds one prompt in memory at a time.
 */
export async function* readJson(
  input: AsyncIterable<Buffer>,
  name: string | null = null,
): AsyncGenerator<RawRow> {
  const picker = pick({
    filter: (stack: readonly (string | number | null)[]) =>
      (stack.length === 1 && stack[0] === 'format') ||
      (stack.length === 2 && stack[0] === 'prompts' && typeof stack[1] === 'number'),
  });
  const values = streamValues();
  const feed = pipeline(Readable.from(utf8(input)), jsonParser(), picker, values).catch(
    (err: unknown) => err,
  );
  let format: unknown;
  let index = 0;
  const label = (i: number) => (name ? `${name}, prompts[${i}]` : `prompts[${i}]`);
  try {
    for await (const { value } of values as AsyncIterable<{ value: unknown }>) {
      if (typeof value === 'string' && format === undefined) {
        format = value;
        continue;
      }
      const i = index++;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield {
          source: label(i),
          fields: null,
          errors: [{ field: 'prompt', message: 'each prompt must be an object' }],
        };
        continue;
      }
      yield { source: label(i), fields: value as Record<string, unknown>, errors: [] };
    }
  } catch (err) {
    const fed = await feed;
    if (fed instanceof ImportFileError) throw fed;
    throw new ImportFileError(
      `${name ? `${name}: ` : ''}The file is not valid JSON: ${(err as Error).message}`,
    );
  }
  const fed = await feed;
  if (fed instanceof ImportFileError) throw fed;
  if (fed instanceof Error)
    throw new ImportFileError(`${name ? `${name}: ` : ''}The file is not valid JSON: ${fed.message}`);
  if (format !== JSON_FORMAT_ID)
    throw new ImportFileError(
      `${name ? `${name}: ` : ''}Not a ${JSON_FORMAT_ID} document: "format" must be "${JSON_FORMAT_ID}"`,
    );
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * One prompt per Markdown file: YAML front matter with the CSV's field names (plus `variables`,
 * `labels`), the body as the content. Without a `title`, the file's name is the title.
 */
export function readMarkdown(bytes: Buffer, name: string): RawRow {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      source: name,
      fields: null,
      errors: [{ field: 'file', message: 'the file is not valid UTF-8 text' }],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const fallbackTitle = name.replace(/^.*\//, '').replace(/\.(md|markdown)$/i, '');
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    if (text.startsWith('---'))
      return {
        source: name,
        fields: null,
        errors: [{ field: 'frontMatter', message: 'the front matter is not closed by a --- line' }],
      };
    return {
      source: name,
      fields: { title: fallbackTitle, content: text.replace(/^\s*\n/, '') },
      errors: [],
    };
  }
  let front: unknown;
  try {
    front = parseYaml(match[1], { maxAliasCount: 10 }) ?? {};
  } catch (err) {
    return {
      source: name,
      fields: null,
      errors: [
        {
          field: 'frontMatter',
          message: `the front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`,
        },
      ],
    };
  }
  if (typeof front !== 'object' || Array.isArray(front) || front === null)
    return {
      source: name,
      fields: null,
      errors: [{ field: 'frontMatter', message: 'the front matter must be a mapping of fields' }],
    };
  const fields = { ...(front as Record<string, unknown>) };
  fields.title ??= fallbackTitle;
  fields.content = text.slice(match[0].length);
  return { source: name, fields, errors: [] };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => (err || !zip ? reject(err ?? new Error('no zip')) : resolve(zip)),
    ),
  );
}

async function centralDirectory(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  if (zip.entryCount > ZIP_LIMITS.maxEntries)
    throw new ImportFileError(
      `The zip has ${zip.entryCount} entries; at most ${ZIP_LIMITS.maxEntries} are accepted`,
    );
  const entries: yauzl.Entry[] = [];
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      total += entry.uncompressedSize;
      if (total > ZIP_LIMITS.maxTotalBytes)
        return reject(
          new ImportFileError(`The zip would inflate to more than ${ZIP_LIMITS.maxTotalBytes} bytes`),
        );
      if (
        entry.uncompressedSize > 1024 * 1024 &&
        entry.uncompressedSize / Math.max(entry.compressedSize, 1) > ZIP_LIMITS.maxRatio
      )
        return reject(
          new ImportFileError(
            `${entry.fileName} is compressed more than ${ZIP_LIMITS.maxRatio}:1; the zip looks like a zip bomb`,
          ),
        );
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve());
    zip.once('error', (err: Error) => reject(err));
    zip.readEntry();
  });
  return entries;
}

const entryStream = (zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> =>
  new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))),
  );

/**
 * A zip of CSV, JSON and Markdown files, read from a temporary copy (a zip needs random access).
 * The central directory is checked first (entry count, total and per-entry inflation) and yauzl
 * checks each entry's real size against its declared one while inflating.
 */
export async function* readZip(input: AsyncIterable<Buffer>): AsyncGenerator<RawRow> {
  const dir = await mkdtemp(join(tmpdir(), 'pv-import-'));
  const path = join(dir, 'upload.zip');
  let zip: yauzl.ZipFile | undefined;
  try {
    await pipeline(Readable.from(input), createWriteStream(path));
    try {
      zip = await openZip(path);
    } catch (err) {
      throw new ImportFileError(`The file is not a valid zip: ${(err as Error).message}`);
    }
    let entries: yauzl.Entry[];
    try {
      entries = await centralDirectory(zip);
    } catch (err) {
      if (err instanceof ImportFileError) throw err;
      throw new ImportFileError(`The file is not a valid zip: ${(err as Error).message}`);
    }
    for (const entry of entries) {
      const name = entry.fileName;
      if (name.endsWith('/') || name.startsWith('__MACOSX/') || /(^|\/)\./.test(name)) continue;
      const format = detectFormat(name);
      if (!format || format === 'zip') {
        yield {
          source: name,
          fields: null,
          errors: [{ field: 'file', message: 'only .csv, .json and .md files are imported from a zip' }],
        };
        continue;
      }
      try {
        const stream = await entryStream(zip, entry);
        if (format === 'markdown') yield readMarkdown(await readAll(stream), name);
        else yield* format === 'csv' ? readCsv(stream, name) : readJson(stream, name);
      } catch (err) {
        const message = err instanceof ImportFileError ? err.message : `${name}: ${(err as Error).message}`;
        yield { source: name, fields: null, errors: [{ field: 'file', message }] };
      }
    }
  } finally {
    zip?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The records of a file in the given format. */
export function readRecords(
  format: ImportFormat,
  input: AsyncIterable<Buffer>,
  filename: string,
): AsyncIterable<RawRow> {
  switch (format) {
    case 'csv':
      return readCsv(input);
    case 'json':
      return readJson(input);
    case 'zip':
      return readZip(input);
    case 'markdown':
      return (async function* () {
        yield readMarkdown(await readAll(input), filename);
      })();
  }
}
