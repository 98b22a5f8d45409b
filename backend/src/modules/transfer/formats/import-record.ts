import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import type { FieldError } from '../../../common/errors/domain.exception';
import { slugify } from '../../organizations/slug';
import { CreatePromptDto } from '../../prompts/dto/prompt.dto';
import { LABEL_PATTERN } from '../../prompts/dto/render.dto';
import type { PromptStatus, PromptVisibility } from '../../prompts/prompt.model';
import {
  extractVariables,
  mergeVariables,
  type PromptMetadata,
  type VariableDefinition,
} from '../../prompts/variables';

/** One version of an imported prompt (the JSON format carries all of them, oldest first). */
export interface ImportVersion {
  title: string;
  description: string;
  content: string;
  variables: VariableDefinition[];
  metadata: PromptMetadata;
  changeNote: string | null;
}

/**
 * A prompt as an import creates it, whatever the file's format: what `import_rows.data` holds.
 * `versions` is the full history (the last one equals the top-level fields); `labels` point into it.
 */
export interface ImportRecord {
  slug: string;
  explicitSlug: boolean;
  title: string;
  description: string;
  content: string;
  variables: VariableDefinition[];
  tags: string[];
  category: string | null;
  collection: string | null;
  status: PromptStatus;
  visibility: PromptVisibility;
  metadata: PromptMetadata;
  labels: Record<string, number>;
  versions: ImportVersion[];
}

export interface NormalizedRow {
  slug: string | null;
  title: string | null;
  record: ImportRecord | null;
  errors: FieldError[];
  variables: string[];
}

/** The CSV columns (API-CONTRACT.md); Markdown front matter uses the same names. */
export const CSV_COLUMNS = [
  'slug',
  'title',
  'description',
  'content',
  'tags',
  'category',
  'collection',
  'status',
  'visibility',
  'model',
  'temperature',
  'maxTokens',
] as const;

/**
 * Most versions one imported prompt may carry (the JSON format's `versions`). The commit writes a
 * prompt's history in one transaction, about 6 ms a version on PostgreSQL: without a bound, one
 * record of a 100 MB file could hold two million of them and keep its organization's writes
 * waiting for hours.
 */
export const MAX_IMPORT_VERSIONS = 1000;
/** Most labels one imported prompt may set (each is a label move with its audit event). */
export const MAX_IMPORT_LABELS = 100;

/** The longest text a field keeps in the preview's title/slug columns (the rest is in `errors`). */
const PREVIEW_CHARS = 200;

/**
 * A CSV export prefixes cells a spreadsheet would run as formulas with `'` (audit-export's
 * csvCell); reading them back removes that one apostrophe so the round trip is exact.
 */
export const unneutralize = (cell: string): string => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

const str = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
};
const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function numberField(v: unknown, field: string, errors: FieldError[]): number | undefined {
  v = blankToUndefined(v);
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (typeof v === 'boolean' || !Number.isFinite(n)) {
    errors.push({ field, message: `${field} must be a number` });
    return undefined;
  }
  return n;
}

function tagsOf(v: unknown, errors: FieldError[]): string[] | undefined {
  v = blankToUndefined(v);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string')
    return v
      .split('|')
      .map((t) => t.trim())
      .filter(Boolean);
  if (Array.isArray(v) && v.every((t) => typeof t === 'string')) return v;
  errors.push({ field: 'tags', message: 'tags must be a list of names (in CSV, separated by |)' });
  return undefined;
}

function metadataOf(
  fields: Record<string, unknown>,
  errors: FieldError[],
): Record<string, unknown> | undefined {
  const nested = fields.metadata;
  if (nested !== undefined && nested !== null && (typeof nested !== 'object' || Array.isArray(nested))) {
    errors.push({ field: 'metadata', message: 'metadata must be an object' });
    return undefined;
  }
  const source = { ...((nested as Record<string, unknown>) ?? {}) };
  for (const key of ['model', 'temperature', 'maxTokens'] as const)
    if (blankToUndefined(fields[key]) !== undefined) source[key] = fields[key];
  const metadata: Record<string, unknown> = {};
  const model = blankToUndefined(source.model);
  if (model !== undefined) metadata.model = typeof model === 'string' ? model.trim() : model;
  const temperature = numberField(source.temperature, 'temperature', errors);
  if (temperature !== undefined) metadata.temperature = temperature;
  const maxTokens = numberField(source.maxTokens, 'maxTokens', errors);
  if (maxTokens !== undefined) metadata.maxTokens = maxTokens;
  return metadata;
}

function messages(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field, message });
    if (e.children?.length)
      out.push(...messages(e.children, /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : field));
  }
  return out;
}

/** The prompt DTO's own rules (POST /prompts), so an import accepts exactly what the API does. */
async function checkFields(plain: Record<string, unknown>, prefix = ''): Promise<FieldError[]> {
  const dto = plainToInstance(CreatePromptDto, plain);
  const found = await validate(dto, { forbidUnknownValues: false });
  return messages(found).map((e) => ({ ...e, field: prefix ? `${prefix}.${e.field}` : e.field }));
}

const short = (s: string | undefined | null): string | null =>
  typeof s === 'string' ? s.slice(0, PREVIEW_CHARS) : null;

/**
 * Turns one record of any format into an ImportRecord, or the list of what is wrong with it
 * (`field` names the column or JSON key). `fields` uses the JSON format's names; CSV and Markdown
 * add `model`, `temperature`, `maxTokens` at the top level and tags as `a|b`.
 */
export async function normalizeRecord(fields: Record<string, unknown>): Promise<NormalizedRow> {
  const errors: FieldError[] = [];
  const title = str(fields.title)?.trim();
  const content = str(fields.content);
  const givenSlug = str(blankToUndefined(fields.slug))?.trim();
  const slug = givenSlug ?? (title && /[a-z0-9]/i.test(title) ? slugify(title) : null);
  const description = str(blankToUndefined(fields.description)) ?? '';
  const tags = tagsOf(fields.tags, errors);
  const metadata = metadataOf(fields, errors);
  const category = str(blankToUndefined(fields.category))?.trim() ?? null;
  const collection = str(blankToUndefined(fields.collection))?.trim() ?? null;
  const status = (str(blankToUndefined(fields.status))?.trim() ?? 'draft') as PromptStatus;
  const visibility = (str(blankToUndefined(fields.visibility))?.trim() ?? 'organization') as PromptVisibility;
  const variables = fields.variables ?? undefined;
  const plain = {
    slug: givenSlug,
    title,
    description,
    content,
    tags,
    status,
    visibility,
    metadata,
    variables,
  };
  errors.push(...(await checkFields(plain)));
  if (
    typeof content === 'string' &&
    content.length <= 100_000 &&
    !errors.some((e) => e.field.startsWith('variables'))
  ) {
    errors.push(...mergeVariables(content, (variables as VariableDefinition[]) ?? []).errors);
  }
  if (category !== null && category.length > 100)
    errors.push({ field: 'category', message: 'category must be at most 100 characters' });
  if (collection !== null && collection.length > 100)
    errors.push({ field: 'collection', message: 'collection must be at most 100 characters' });

  const versions: ImportVersion[] = [];
  /** The file's version numbers, in order: labels name them, the import renumbers from 1. */
  const fileVersions: number[] = [];
  if (fields.versions !== undefined && fields.versions !== null) {
    if (!Array.isArray(fields.versions))
      errors.push({ field: 'versions', message: 'versions must be a list' });
    else if (fields.versions.length > MAX_IMPORT_VERSIONS)
      errors.push({
        field: 'versions',
        message: `at most ${MAX_IMPORT_VERSIONS.toLocaleString('en-US')} versions per prompt are imported; this one has ${fields.versions.length.toLocaleString('en-US')}`,
      });
    else {
      const list = [...(fields.versions as Array<Record<string, unknown>>)].sort(
        (a, b) => Number(a?.version) - Number(b?.version),
      );
      for (const [i, v] of list.entries()) {
        const prefix = `versions[${i}]`;
        if (typeof v !== 'object' || v === null) {
          errors.push({ field: prefix, message: 'each version must be an object' });
          continue;
        }
        const vErrors: FieldError[] = [];
        const vMeta = metadataOf(v, vErrors) ?? {};
        const vPlain = {
          title: str(v.title)?.trim(),
          description: str(blankToUndefined(v.description)) ?? '',
          content: str(v.content),
          variables: v.variables ?? undefined,
          metadata: vMeta,
          changeNote: str(blankToUndefined(v.changeNote)),
        };
        vErrors.push(...(await checkFields(vPlain)));
        errors.push(...vErrors.map((e) => ({ ...e, field: `${prefix}.${e.field}` })));
        if (!vErrors.length) {
          const merged = mergeVariables(vPlain.content as string, vPlain.variables as VariableDefinition[]);
          errors.push(...merged.errors.map((e) => ({ ...e, field: `${prefix}.${e.field}` })));
          fileVersions.push(Number(v.version));
          versions.push({
            title: vPlain.title as string,
            description: vPlain.description,
            content: vPlain.content as string,
            variables: merged.variables,
            metadata: vMeta,
            changeNote: vPlain.changeNote?.slice(0, 500) ?? null,
          });
        }
      }
    }
  }

  const labels: Record<string, number> = {};
  // Labels name versions of the file's history; without one (CSV, Markdown, an export without
  // versions) the numbers would point at versions the import does not create, so they are left out.
  if (versions.length && fields.labels !== undefined && fields.labels !== null) {
    if (typeof fields.labels !== 'object' || Array.isArray(fields.labels))
      errors.push({ field: 'labels', message: 'labels must map a label to a version number' });
    else if (Object.keys(fields.labels).length > MAX_IMPORT_LABELS)
      errors.push({
        field: 'labels',
        message: `at most ${MAX_IMPORT_LABELS} labels per prompt are imported; this one has ${Object.keys(fields.labels).length.toLocaleString('en-US')}`,
      });
    else
      for (const [label, version] of Object.entries(fields.labels as Record<string, unknown>)) {
        const index = fileVersions.indexOf(version as number);
        if (!LABEL_PATTERN.test(label))
          errors.push({ field: `labels.${label}`, message: 'not a valid label name' });
        else if (!Number.isInteger(version) || index < 0)
          errors.push({
            field: `labels.${label}`,
            message: 'must be the number of a version in the file',
          });
        else labels[label] = index + 1;
      }
  }

  const found = typeof content === 'string' && content.length <= 100_000 ? extractVariables(content) : [];
  if (errors.length || !title || content === undefined || !slug)
    return { slug: short(slug), title: short(title), record: null, errors, variables: found };

  const merged = mergeVariables(content, (variables as VariableDefinition[]) ?? []);
  const record: ImportRecord = {
    slug,
    explicitSlug: givenSlug !== undefined,
    title,
    description,
    content,
    variables: merged.variables,
    tags: tags ?? [],
    category,
    collection,
    status,
    visibility,
    metadata: metadata ?? {},
    labels,
    versions,
  };
  return { slug, title, record, errors: [], variables: found };
}
