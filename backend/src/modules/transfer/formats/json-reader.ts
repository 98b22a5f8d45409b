import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser as jsonParser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamValues } from 'stream-json/streamers/StreamValues';
import { ImportFileError, RawRow, utf8 } from './import-file';

export const JSON_FORMAT_ID = 'prompt-vault/v1';

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
