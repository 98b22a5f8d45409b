// The entry point of an import file's readers: one file per format (csv-reader, json-reader,
// markdown-reader, zip-reader) over what they share (import-file). The rest of the module reads
// files, and finds the formats, through here.
import { readCsv } from './csv-reader';
import { ImportFormat, RawRow } from './import-file';
import { readJson } from './json-reader';
import { readMarkdownFile } from './markdown-reader';
import { readZip } from './zip-reader';

export { detectFormat, IMPORT_FORMATS, ImportFileError } from './import-file';
export type { ImportFormat, RawRow } from './import-file';
export { JSON_FORMAT_ID } from './json-reader';

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
        yield await readMarkdownFile(input, filename);
      })();
  }
}
