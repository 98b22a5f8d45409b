import { parse as parseYaml } from 'yaml';
import { MAX_RECORD_BYTES, RawRow, readAll, RECORD_TOO_LARGE } from './import-file';

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * One prompt per Markdown file: YAML front matter with the CSV's field names (plus `variables`,
 * `labels`), the body as the content. Without a `title`, the file's name is the title. A file over
 * MAX_RECORD_BYTES is an error of its row, read no further.
 */
export async function readMarkdownFile(input: AsyncIterable<Buffer>, name: string): Promise<RawRow> {
  const bytes = await readAll(input, MAX_RECORD_BYTES);
  if (!bytes)
    return {
      source: name,
      fields: null,
      errors: [{ field: 'file', message: `the file is ${RECORD_TOO_LARGE}` }],
    };
  return readMarkdown(bytes, name);
}

/** One Markdown file's prompt (readMarkdownFile), from its bytes. */
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
