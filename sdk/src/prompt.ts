import { RenderError, type PromptVaultError } from './errors.js';
import type { PromptMetadata, RuntimePrompt, VariableDefinition } from './types.js';
import { renderTemplate, type RenderResult } from './variables.js';

/**
 * Where a `getPrompt` answer came from:
 * - `network`: fetched now (200);
 * - `revalidated`: the cached copy, confirmed unchanged by the server just now (304);
 * - `cache`: the cached copy, still within its TTL (no request);
 * - `stale`: the cached copy past its TTL but within the stale-while-revalidate window, served at
 *   once while a revalidation runs in the background;
 * - `fallback`: the last good copy, served because the API could not answer (network error,
 *   timeout, 429 or 5xx); `error` says what went wrong.
 */
export type PromptSource = 'network' | 'revalidated' | 'cache' | 'stale' | 'fallback';

/** One version of a prompt as the runtime fetch served it, with local rendering. */
export class Prompt {
  readonly id: string;
  readonly slug: string;
  /** The version served. */
  readonly version: number;
  /** The label asked for, if any. */
  readonly label: string | null;
  readonly title: string;
  readonly content: string;
  readonly variables: readonly VariableDefinition[];
  readonly metadata: PromptMetadata;
  /** When this version was saved (ISO-8601). */
  readonly createdAt: string;
  /** The server's ETag for this answer. */
  readonly etag: string | undefined;
  /** When the server last confirmed this copy (ms since the epoch). */
  readonly fetchedAt: number;
  readonly source: PromptSource;
  /** Why the last good copy was served instead of a fresh one (only with `source: "fallback"`). */
  readonly error: PromptVaultError | undefined;

  constructor(
    data: RuntimePrompt,
    meta: { etag: string | undefined; fetchedAt: number; source: PromptSource; error?: PromptVaultError },
  ) {
    this.id = data.id;
    this.slug = data.slug;
    this.version = data.version;
    this.label = data.label ?? null;
    this.title = data.title;
    this.content = data.content;
    this.variables = data.variables;
    this.metadata = data.metadata;
    this.createdAt = data.createdAt;
    this.etag = meta.etag;
    this.fetchedAt = meta.fetchedAt;
    this.source = meta.source;
    this.error = meta.error;
  }

  /** True when the API was unavailable and this is the last good copy. */
  get isFallback(): boolean {
    return this.source === 'fallback';
  }

  /**
   * The content with every `{{variable}}` substituted, by the server's rules: defaults fill missing
   * values, numbers and booleans are type-checked, `{{{{` is a literal `{{`. Throws `RenderError`
   * (422 `prompt_variables_invalid`, `errors` per variable) like `POST /prompts/:id/render`.
   */
  render(values: Record<string, unknown> = {}): string {
    const { rendered, errors } = this.tryRender(values);
    if (errors.length) throw new RenderError(errors);
    return rendered;
  }

  /** Like `render`, but returns the errors instead of throwing. */
  tryRender(values: Record<string, unknown> = {}): RenderResult {
    return renderTemplate(this.content, this.variables, values);
  }

  /** The runtime fetch body this prompt was built from. */
  toJSON(): RuntimePrompt {
    return {
      id: this.id,
      slug: this.slug,
      version: this.version,
      label: this.label,
      title: this.title,
      content: this.content,
      variables: [...this.variables],
      metadata: this.metadata,
      createdAt: this.createdAt,
    };
  }
}
