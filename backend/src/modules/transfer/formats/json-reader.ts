import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser as jsonParser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamValues } from 'stream-json/streamers/StreamValues';
import { ImportFileError, MAX_RECORD_BYTES, RawRow, RECORD_TOO_LARGE, utf8 } from './import-file';

export const JSON_FORMAT_ID = 'prompt-vault/v1';

/**
 * Our own JSON format (`{format: "prompt-vault/v1", prompts: [...]}`), stream-parsed: each prompt
 * is assembled alone, so a file of any size holds one prompt in memory at a time, and a prompt
 * over MAX_RECORD_BYTES is an error of its row, never assembled (BoundedValues).
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
  const feed = pipeline(
    Readable.from(utf8(input)),
    jsonParser({ packValues: false }),
    new BoundedValues(MAX_RECORD_BYTES),
    picker,
    values,
  ).catch((err: unknown) => err);
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
      if (typeof value === 'object' && value !== null && OVERSIZED_KEY in value) {
        yield {
          source: label(i),
          fields: null,
          errors: [{ field: 'prompt', message: `the prompt is ${RECORD_TOO_LARGE}` }],
        };
        continue;
      }
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

interface Token {
  name: string;
  value?: string | null | boolean;
}
/** An object or array being read: whether a key of it waits for its value. */
interface Frame {
  array: boolean;
  awaitsValue: boolean;
}

/** The key BoundedValues adds to a prompt it cut short (readJson reports the row). */
export const OVERSIZED_KEY = '\u0000oversized';
const PACKED: Record<string, string> = {
  startString: 'stringValue',
  startNumber: 'numberValue',
  startKey: 'keyValue',
};
/** What a token counts beside its text (about its cost once assembled): many small values count too. */
const TOKEN_WEIGHT = 32;

/**
 * Between stream-json's parser (run with `packValues: false`: strings, numbers and keys arrive
 * in chunks) and the filters: packs each value itself and counts the characters and tokens of each
 * unit (a prompt, or another member of the document) up to `max`. A unit over it is cut short:
 * what was passed on of it is closed (a value being read becomes null, open arrays and objects are
 * ended, a prompt gets OVERSIZED_KEY) and the rest is dropped unread. So no value, not even one
 * 100 MB string, is held beyond `max`.
 */
export class BoundedValues extends Transform {
  private readonly stack: Frame[] = [];
  /** The unit being read: the stack depth it started at, its size so far; `cut` once over `max`. */
  private unit: { depth: number; size: number; cut: boolean } | null = null;
  private packing: { name: string; parts: string[] } | null = null;
  /** The last key read at the top level of the document. */
  private rootKey: string | null = null;

  constructor(private readonly max: number) {
    super({ objectMode: true });
  }

  override _transform(token: Token, _encoding: BufferEncoding, done: TransformCallback): void {
    const name = token.name;
    if (
      name === 'startObject' ||
      name === 'startArray' ||
      name === 'startString' ||
      name === 'startNumber' ||
      name === 'nullValue' ||
      name === 'trueValue' ||
      name === 'falseValue'
    )
      this.valueStarts(name);
    if (this.unit && !this.unit.cut) {
      this.unit.size += TOKEN_WEIGHT + (typeof token.value === 'string' ? token.value.length : 0);
      if (this.unit.size > this.max) this.cut();
    }
    const pass = !this.unit?.cut;
    switch (name) {
      case 'startObject':
      case 'startArray':
        if (pass) this.push(token);
        this.stack.push({ array: name === 'startArray', awaitsValue: false });
        break;
      case 'endObject':
      case 'endArray':
        this.stack.pop();
        if (pass) this.push(token);
        this.valueEnds();
        break;
      case 'startString':
      case 'startNumber':
      case 'startKey':
        this.packing = pass ? { name: PACKED[name], parts: [] } : null;
        break;
      case 'stringChunk':
      case 'numberChunk':
        this.packing?.parts.push(token.value as string);
        break;
      case 'endKey': {
        const packed = this.packing;
        this.packing = null;
        this.stack[this.stack.length - 1].awaitsValue = true;
        if (!packed) break;
        const key = packed.parts.join('');
        if (this.stack.length === 1) this.rootKey = key;
        this.push({ name: 'keyValue', value: key });
        break;
      }
      case 'endString':
      case 'endNumber': {
        const packed = this.packing;
        this.packing = null;
        if (packed) this.push({ name: packed.name, value: packed.parts.join('') });
        this.valueEnds();
        break;
      }
      default:
        // nullValue, trueValue, falseValue: a whole value in one token.
        if (pass) this.push(token);
        this.valueEnds();
    }
    done();
  }

  /** A value begins on top of the stack: a new unit unless it is the document or its `prompts`. */
  private valueStarts(name: string): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.awaitsValue = false;
    if (this.unit) return;
    const depth = this.stack.length;
    const container = name === 'startObject' || name === 'startArray';
    if (depth === 0 && container) return; // the document itself
    if (depth === 1 && !this.stack[0].array && this.rootKey === 'prompts' && name === 'startArray') return;
    this.unit = { depth, size: 0, cut: false };
  }

  /** A value ended on top of the stack: the unit ends with it when it is the unit itself. */
  private valueEnds(): void {
    if (this.unit && this.stack.length === this.unit.depth) this.unit = null;
  }

  /** The unit is over `max`: what was passed on of it is closed; the rest is dropped. */
  private cut(): void {
    const unit = this.unit!;
    unit.cut = true;
    // A string or number being read: null stands for it (a key being read is left out).
    if (this.packing && this.packing.name !== 'keyValue') this.push({ name: 'nullValue', value: null });
    this.packing = null;
    for (let i = this.stack.length - 1; i >= unit.depth; i--) {
      const frame = this.stack[i];
      if (frame.array) {
        this.push({ name: 'endArray' });
        continue;
      }
      if (frame.awaitsValue) this.push({ name: 'nullValue', value: null });
      if (i === unit.depth) {
        this.push({ name: 'keyValue', value: OVERSIZED_KEY });
        this.push({ name: 'trueValue', value: true });
      }
      this.push({ name: 'endObject' });
    }
  }
}
