import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import { readCsv } from './csv-reader';
import { detectFormat, ImportFileError, RawRow } from './import-file';
import { readJson } from './json-reader';
import { readMarkdownFile } from './markdown-reader';

/** Zip limits (docs/import-export.md, "Limits"): a zip bomb is refused before anything is inflated. */
export const ZIP_LIMITS = {
  maxEntries: 10_000,
  /** Sum of the declared uncompressed sizes. */
  maxTotalBytes: 1024 * 1024 * 1024,
  /** Uncompressed / compressed, for entries over 1 MiB. */
  maxRatio: 100,
} as const;

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
        if (format === 'markdown') yield await readMarkdownFile(stream, name);
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
