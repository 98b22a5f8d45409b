import { Readable, Writable } from 'node:stream';
import { stringify as toYaml } from 'yaml';
import { ZipFile } from 'yazl';
import { csvCell } from '../audit/audit-export';
import { CSV_COLUMNS } from './formats/import-record';
import { JSON_FORMAT_ID } from './formats/import-readers';
import type { ExportFormat, ExportPromptRow, ExportVersionRow } from './exports.repository';

/** Writes one export file, prompt by prompt, into a stream (with backpressure). */
export interface ExportWriter {
  readonly contentType: string;
  readonly extension: string;
  begin(): Promise<void>;
  add(prompt: ExportPromptRow, versions: ExportVersionRow[] | null): Promise<void>;
  end(): Promise<void>;
}

const write = async (out: Writable, chunk: string | Buffer): Promise<void> => {
  if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
};

/** The contract's JSON prompt (`prompt-vault/v1`). */
export function jsonPrompt(p: ExportPromptRow, versions: ExportVersionRow[] | null): Record<string, unknown> {
  return {
    slug: p.slug,
    title: p.title,
    description: p.description,
    content: p.content,
    variables: p.variables,
    tags: p.tags,
    category: p.category,
    collection: p.collection,
    status: p.status,
    visibility: p.visibility,
    metadata: p.metadata,
    labels: p.labels,
    ...(versions
      ? {
          versions: versions.map((v) => ({
            version: v.version,
            title: v.title,
            description: v.description,
            content: v.content,
            variables: v.variables,
            metadata: v.metadata,
            changeNote: v.change_note,
            createdAt: new Date(v.created_at).toISOString(),
            author: v.author,
          })),
        }
      : {}),
  };
}

class JsonWriter implements ExportWriter {
  readonly contentType = 'application/json; charset=utf-8';
  readonly extension = 'json';
  private first = true;

  constructor(
    private readonly out: Writable,
    private readonly organization: { name: string; slug: string },
  ) {}

  async begin(): Promise<void> {
    const head = JSON.stringify({
      format: JSON_FORMAT_ID,
      exportedAt: new Date().toISOString(),
      organization: this.organization,
    });
    await write(this.out, `${head.slice(0, -1)},"prompts":[\n`);
  }

  async add(prompt: ExportPromptRow, versions: ExportVersionRow[] | null): Promise<void> {
    await write(this.out, `${this.first ? '' : ',\n'}${JSON.stringify(jsonPrompt(prompt, versions))}`);
    this.first = false;
  }

  async end(): Promise<void> {
    await write(this.out, '\n]}\n');
    this.out.end();
  }
}

/** The CSV row of a prompt's current version (tags joined by `|`; formulas neutralized by csvCell). */
export function csvLine(p: ExportPromptRow): string {
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    slug: p.slug,
    title: p.title,
    description: p.description,
    content: p.content,
    tags: p.tags.join('|'),
    category: p.category,
    collection: p.collection,
    status: p.status,
    visibility: p.visibility,
    model: p.metadata.model,
    temperature: p.metadata.temperature,
    maxTokens: p.metadata.maxTokens,
  };
  return `${CSV_COLUMNS.map((c) => csvCell(values[c])).join(',')}\r\n`;
}

class CsvWriter implements ExportWriter {
  readonly contentType = 'text/csv; charset=utf-8';
  readonly extension = 'csv';
  constructor(private readonly out: Writable) {}

  async begin(): Promise<void> {
    await write(this.out, `${CSV_COLUMNS.join(',')}\r\n`);
  }
  async add(prompt: ExportPromptRow): Promise<void> {
    await write(this.out, csvLine(prompt));
  }
  async end(): Promise<void> {
    this.out.end();
  }
}

/** One Markdown file: YAML front matter with the CSV's fields (plus variables and labels), then the content. */
export function markdownFile(p: ExportPromptRow): string {
  const front: Record<string, unknown> = { slug: p.slug, title: p.title };
  if (p.description) front.description = p.description;
  if (p.tags.length) front.tags = p.tags;
  if (p.category) front.category = p.category;
  if (p.collection) front.collection = p.collection;
  front.status = p.status;
  front.visibility = p.visibility;
  if (p.metadata.model !== undefined) front.model = p.metadata.model;
  if (p.metadata.temperature !== undefined) front.temperature = p.metadata.temperature;
  if (p.metadata.maxTokens !== undefined) front.maxTokens = p.metadata.maxTokens;
  if (p.variables.length) front.variables = p.variables;
  return `---\n${toYaml(front, { lineWidth: 0 })}---\n${p.content}`;
}

/** Bytes the zip may hold in memory ahead of the stream it writes to. */
const ZIP_AHEAD_BYTES = 8 * 1024 * 1024;

class MarkdownZipWriter implements ExportWriter {
  readonly contentType = 'application/zip';
  readonly extension = 'zip';
  private readonly zip = new ZipFile();
  private readonly done: Promise<void>;

  constructor(out: Writable) {
    this.done = finished(out);
    this.zip.outputStream.pipe(out);
  }

  async begin(): Promise<void> {}

  async add(prompt: ExportPromptRow): Promise<void> {
    const bytes = Buffer.from(markdownFile(prompt), 'utf8');
    this.zip.addBuffer(bytes, `${prompt.slug}.md`, { mtime: new Date() });
    // The zip's output waits for the (database) stream: pause while too much is buffered ahead of it.
    while ((this.zip.outputStream as unknown as Readable).readableLength > ZIP_AHEAD_BYTES)
      await new Promise((r) => setTimeout(r, 5));
  }

  async end(): Promise<void> {
    this.zip.end();
    await this.done;
  }
}

export function exportWriter(
  format: ExportFormat,
  out: Writable,
  organization: { name: string; slug: string },
): ExportWriter {
  if (format === 'json') return new JsonWriter(out, organization);
  if (format === 'csv') return new CsvWriter(out);
  return new MarkdownZipWriter(out);
}

/** Resolves once a writable stream finished (all chunks stored). */
export const finished = (out: Writable): Promise<void> =>
  out.writableFinished
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        out.once('finish', () => resolve());
        out.once('error', reject);
      });
