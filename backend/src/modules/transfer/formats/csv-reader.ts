import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as parseCsv } from 'csv-parse';
import { CSV_COLUMNS, unneutralize } from './import-record';
import { ImportFileError, MAX_RECORD_BYTES, RawRow, RECORD_TOO_LARGE, utf8 } from './import-file';

/**
 * CSV with a header line naming the contract's columns (any order; `title` and `content` are
 * required, unknown columns refuse the file). Streams: one record in memory at a time. A record
 * over MAX_RECORD_BYTES refuses the file: where it ends (a quote left open?) cannot be told, so
 * neither can where the next one starts.
 */
export async function* readCsv(
  input: AsyncIterable<Buffer>,
  name: string | null = null,
): AsyncGenerator<RawRow> {
  const parser = parseCsv({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: MAX_RECORD_BYTES,
  });
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
    throw csvError(err as Error & { code?: string; lines?: number }, name);
  }
  const fed = await feed;
  if (fed instanceof ImportFileError) throw fed;
  if (fed instanceof Error) throw csvError(fed, name);
  if (!header)
    throw new ImportFileError(`${name ? `${name}: ` : ''}The CSV file is empty: it needs a header line`);
}

function csvError(err: Error & { code?: string; lines?: number }, name: string | null): ImportFileError {
  if (err.code === 'CSV_MAX_RECORD_SIZE')
    return new ImportFileError(
      `${name ? `${name}: ` : ''}The record at line ${err.lines ?? '?'} is ${RECORD_TOO_LARGE}; nothing of the file is imported`,
    );
  return new ImportFileError(`The file is not valid CSV: ${err.message}`);
}
