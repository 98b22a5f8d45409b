import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser as jsonParser } from 'stream-json';
import Assembler from 'stream-json/Assembler';
import { readCsv } from './csv-reader';
import { ImportFileError, MAX_RECORD_BYTES, type RawRow } from './import-file';
import { BoundedValues, OVERSIZED_KEY, readJson } from './json-reader';
import { readMarkdownFile } from './markdown-reader';

/** The text's bytes in chunks of `size`, as a file's stream gives them. */
const chunks = (text: string, size = 7): Readable => {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return Readable.from(out);
};

async function rows(reader: AsyncIterable<RawRow>): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const row of reader) out.push(row);
  return out;
}

/** The document as stream-json's parser, BoundedValues(max) and the Assembler build it. */
async function bounded(text: string, max: number): Promise<unknown> {
  const assembler = new Assembler();
  const bound = new BoundedValues(max);
  bound.on('data', (token: Parameters<Assembler['consume']>[0]) => assembler.consume(token));
  await pipeline(chunks(text), jsonParser({ packValues: false }), bound);
  return assembler.current;
}

describe('BoundedValues', () => {
  const doc = {
    format: 'prompt-vault/v1',
    prompts: [
      {
        slug: 'a',
        title: 'Ünïcödé "quoted" \\ \n tab\t ✓ 𝄞',
        temperature: -1.5e-3,
        n: 1234567890.25,
        flags: [true, false, null],
        nested: { deep: [[1, [2, { x: 'y' }]], {}] },
        versions: [{ version: 1, title: 'v1', content: 'c' }],
      },
      'a string prompt',
      42,
    ],
    extra: { ignored: [1, 2, 3] },
  };

  it('passes every value through as JSON.parse reads it, whatever the chunking', async () => {
    expect(await bounded(JSON.stringify(doc), MAX_RECORD_BYTES)).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('cuts a unit over the bound wherever it is and leaves the next one whole', async () => {
    const big = 'x'.repeat(2000);
    const cases: Array<[string, unknown]> = [
      // A string value being read: null stands for it.
      [`{"slug":"a","content":"${big}"}`, { slug: 'a', content: null, [OVERSIZED_KEY]: true }],
      // A key being read: left out.
      [`{"slug":"a","${big}":1}`, { slug: 'a', [OVERSIZED_KEY]: true }],
      // Deep in arrays and objects: each is ended.
      [
        `{"slug":"a","versions":[{"content":"${big}"}]}`,
        { slug: 'a', versions: [{ content: null }], [OVERSIZED_KEY]: true },
      ],
      // Many small tokens count too.
      [`{"slug":"a","list":[${'{},'.repeat(200)}{}]}`, expect.objectContaining({ [OVERSIZED_KEY]: true })],
    ];
    for (const [prompt, cut] of cases) {
      const text = `{"format":"prompt-vault/v1","prompts":[${prompt},{"slug":"next","content":"fine"}]}`;
      expect(await bounded(text, 1000)).toEqual({
        format: 'prompt-vault/v1',
        prompts: [cut, { slug: 'next', content: 'fine' }],
      });
    }
  });

  it('cuts a scalar prompt or document member to null', async () => {
    const big = 'x'.repeat(2000);
    expect(await bounded(`{"format":"${big}","prompts":["${big}",{"a":1}]}`, 1000)).toEqual({
      format: null,
      prompts: [null, { a: 1 }],
    });
  });
});

describe('import readers: a record over MAX_RECORD_BYTES', () => {
  const huge = 'x'.repeat(MAX_RECORD_BYTES + 1);

  it('JSON: is an error of its row, never assembled; the rows around it read', async () => {
    const text = JSON.stringify({
      format: 'prompt-vault/v1',
      prompts: [
        { slug: 'before', title: 'Before', content: 'One' },
        { slug: 'huge', title: 'Huge', content: huge },
        { slug: 'after', title: 'After', content: 'Two' },
      ],
    });
    const read = await rows(readJson(chunks(text, 1 << 20), 'big.json'));
    expect(read).toEqual([
      {
        source: 'big.json, prompts[0]',
        fields: { slug: 'before', title: 'Before', content: 'One' },
        errors: [],
      },
      {
        source: 'big.json, prompts[1]',
        fields: null,
        errors: [
          { field: 'prompt', message: 'the prompt is larger than 16 MB, the most one prompt may take' },
        ],
      },
      {
        source: 'big.json, prompts[2]',
        fields: { slug: 'after', title: 'After', content: 'Two' },
        errors: [],
      },
    ]);
  });

  it('CSV: refuses the file, naming the line', async () => {
    const text = `title,content\nBefore,One\nHuge,"${huge}"\nAfter,Two\n`;
    await expect(rows(readCsv(chunks(text, 1 << 20), 'big.csv'))).rejects.toThrow(
      new ImportFileError(
        'big.csv: The record at line 3 is larger than 16 MB, the most one prompt may take; nothing of the file is imported',
      ),
    );
  });

  it('Markdown: is an error of the file, read no further', async () => {
    expect(await readMarkdownFile(chunks(`---\ntitle: Huge\n---\n${huge}`, 1 << 20), 'huge.md')).toEqual({
      source: 'huge.md',
      fields: null,
      errors: [{ field: 'file', message: 'the file is larger than 16 MB, the most one prompt may take' }],
    });
    expect(await readMarkdownFile(chunks('---\ntitle: Small\n---\nBody'), 'small.md')).toEqual({
      source: 'small.md',
      fields: { title: 'Small', content: 'Body' },
      errors: [],
    });
  });
});
