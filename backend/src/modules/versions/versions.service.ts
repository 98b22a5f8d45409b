import { RequestContext } from '../../common/context/request-context';
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { notFound, AppException } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { preparedQuery, TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { PromptResponseDto } from '../prompts/dto/prompt.response.dto';
import { PromptsService, TIMESTAMP_TEXT } from '../prompts/prompts.service';
import type { PromptMetadata, VariableDefinition } from '../prompts/variables';
import { contentDiff, jsonDiff, wordDiff } from './diff';
import {
  DiffFieldsDto,
  DiffResponseDto,
  LabelMoveResponseDto,
  LabelResponseDto,
  RuntimePromptResponseDto,
  VersionResponseDto,
  VersionSummaryResponseDto,
} from './dto/version.response.dto';

/** The label whose moves need `move_production_label` (OWNER, ADMIN). */
export const PRODUCTION_LABEL = 'production';

type VersionCursor = { v: number };
const isVersionCursor = (v: unknown): v is VersionCursor =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as VersionCursor).v);
type MoveCursor = { t: string; id: string };
const isMoveCursor = (v: unknown): v is MoveCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as MoveCursor).t === 'string' &&
  TIMESTAMP_TEXT.test((v as MoveCursor).t) &&
  typeof (v as MoveCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as MoveCursor).id);

interface RuntimeRow {
  id: string;
  slug: string;
  version: number;
  title: string;
  content: string;
  variables: VariableDefinition[];
  metadata: PromptMetadata;
  created_at: Date;
}

export interface RuntimeFetch {
  body: RuntimePromptResponseDto;
  /** Strong validator of exactly this body. */
  etag: string;
}

/**
 * Version history, diffs, reverts, release labels and the runtime fetch. Versions are written by
 * PromptsService on save; here they are read, compared and pointed at.
 */
@Injectable()
export class VersionsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly prompts: PromptsService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
  ) {}

  async list(promptId: string, limit: number, cursor?: string): Promise<Page<VersionSummaryResponseDto>> {
    await this.prompts.loadVisible(promptId);
    const params: unknown[] = [promptId, limit + 1];
    if (cursor) params.push(decodeCursor(cursor, isVersionCursor).v);
    const rows = await this.em.query<
      Array<{
        version: number;
        title: string;
        changed_by: string | null;
        change_note: string | null;
        created_at: Date;
      }>
    >(
      `SELECT version, title, changed_by, change_note, created_at FROM prompt_versions
        WHERE prompt_id = $1 ${cursor ? 'AND version < $3' : ''}
        ORDER BY version DESC LIMIT $2`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => ({ v: r.version }),
      (r) => ({
        version: r.version,
        title: r.title,
        changedBy: r.changed_by,
        changeNote: r.change_note,
        createdAt: r.created_at.toISOString(),
      }),
    );
  }

  async get(promptId: string, version: number): Promise<VersionResponseDto> {
    const prompt = await this.prompts.loadVisible(promptId);
    const v = await this.prompts.resolveVersion(prompt, { version });
    return {
      promptId,
      version: v.version,
      title: v.title,
      description: v.description,
      content: v.content,
      variables: v.variables,
      metadata: v.metadata,
      changedBy: v.changedBy,
      changeNote: v.changeNote,
      createdAt: v.createdAt.toISOString(),
    };
  }

  /** Per-field hunks between two versions; fields that did not change are left out. */
  async diff(promptId: string, from: number, to: number): Promise<DiffResponseDto> {
    const prompt = await this.prompts.loadVisible(promptId);
    const a = await this.prompts.resolveVersion(prompt, { version: from });
    const b = await this.prompts.resolveVersion(prompt, { version: to });
    const fields: DiffFieldsDto = {};
    if (a.title !== b.title) fields.title = wordDiff(a.title, b.title);
    if (a.description !== b.description) fields.description = wordDiff(a.description, b.description);
    if (a.content !== b.content) fields.content = contentDiff(a.content, b.content);
    const variables = jsonDiff(a.variables, b.variables);
    if (variables.some((h) => h.op !== 'equal')) fields.variables = variables;
    const metadata = jsonDiff(a.metadata, b.metadata);
    if (metadata.some((h) => h.op !== 'equal')) fields.metadata = metadata;
    return { from, to, fields };
  }

  /** A new version equal to `version` (needs the right to edit the prompt). */
  async revert(promptId: string, version: number, changeNote?: string): Promise<PromptResponseDto> {
    const prompt = await this.prompts.loadForWrite(promptId, 'update');
    const v = await this.prompts.resolveVersion(prompt, { version });
    return this.prompts.applySnapshot(
      promptId,
      {
        title: v.title,
        description: v.description,
        content: v.content,
        variables: v.variables,
        metadata: v.metadata,
      },
      changeNote || `Revert to version ${version}`,
      { action: 'prompt.reverted', changes: { revertedTo: version, from: prompt.version } },
    );
  }

  async labels(promptId: string): Promise<LabelResponseDto[]> {
    await this.prompts.loadVisible(promptId);
    const rows = await this.em.query<
      Array<{ label: string; version: number; updated_by: string | null; updated_at: Date }>
    >(
      `SELECT label, version, updated_by, updated_at FROM prompt_labels WHERE prompt_id = $1 ORDER BY label`,
      [promptId],
    );
    return rows.map((r) => ({
      label: r.label,
      version: r.version,
      updatedBy: r.updated_by,
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  /**
   * Points `label` at `version`. `production` needs move_production_label (OWNER, ADMIN); other
   * labels need the right to edit the prompt. Every move is kept in prompt_label_moves and
   * audited; pointing a label where it already points changes nothing.
   */
  async moveLabel(promptId: string, label: string, version: number): Promise<LabelResponseDto> {
    const prompt = await this.prompts.loadVisible(promptId, true);
    if (label === PRODUCTION_LABEL) {
      if (!this.prompts.ability().can('move_production_label', 'Prompt'))
        throw new AppException('forbidden', 'Only OWNER and ADMIN may move the production label');
    } else {
      this.prompts.assertCanOn('update', prompt);
    }
    const [exists] = await this.em.query<unknown[]>(
      `SELECT 1 FROM prompt_versions WHERE prompt_id = $1 AND version = $2`,
      [promptId, version],
    );
    if (!exists)
      throw new AppException('validation_failed', `The prompt has no version ${version}`, {
        errors: [
          { field: 'version', message: `version ${version} does not exist (latest is ${prompt.version})` },
        ],
      });
    const userId = this.transactions.scope.userId;
    const [current] = await this.em.query<
      Array<{ version: number; updated_by: string | null; updated_at: Date }>
    >(
      `SELECT version, updated_by, updated_at FROM prompt_labels WHERE prompt_id = $1 AND label = $2 FOR UPDATE`,
      [promptId, label],
    );
    if (current?.version === version) {
      return { label, version, updatedBy: current.updated_by, updatedAt: current.updated_at.toISOString() };
    }
    const [row] = await this.em.query<Array<{ updated_at: Date }>>(
      `INSERT INTO prompt_labels (organization_id, prompt_id, label, version, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (prompt_id, label) DO UPDATE
         SET version = EXCLUDED.version, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
       RETURNING updated_at`,
      [prompt.organization_id, promptId, label, version, userId],
    );
    const from = current?.version ?? null;
    await this.em.query(
      `INSERT INTO prompt_label_moves (organization_id, prompt_id, label, from_version, to_version, moved_by, moved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [prompt.organization_id, promptId, label, from, version, userId, row.updated_at],
    );
    await this.audit.record({
      action: 'prompt.label_moved',
      target: { type: 'prompt', id: promptId },
      changes: { label, from, to: version },
    });
    await this.prompts.publish('prompt.label_moved', promptId, { label, from, to: version });
    return { label, version, updatedBy: userId, updatedAt: row.updated_at.toISOString() };
  }

  async labelHistory(
    promptId: string,
    limit: number,
    cursor?: string,
    label?: string,
  ): Promise<Page<LabelMoveResponseDto>> {
    await this.prompts.loadVisible(promptId);
    const params: unknown[] = [promptId, limit + 1];
    const where = ['prompt_id = $1'];
    if (label) where.push(`label = $${params.push(label)}`);
    if (cursor) {
      const c = decodeCursor(cursor, isMoveCursor);
      where.push(`(moved_at, id) < ($${params.push(c.t)}::timestamptz, $${params.push(c.id)}::uuid)`);
    }
    const rows = await this.em.query<
      Array<{
        id: string;
        label: string;
        from_version: number | null;
        to_version: number;
        moved_by: string | null;
        moved_at: Date;
        cursor_key: string;
      }>
    >(
      `SELECT id, label, from_version, to_version, moved_by, moved_at, moved_at::text AS cursor_key
         FROM prompt_label_moves WHERE ${where.join(' AND ')}
        ORDER BY moved_at DESC, id DESC LIMIT $2`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => ({ t: r.cursor_key, id: r.id }),
      (r) => ({
        id: r.id,
        label: r.label,
        fromVersion: r.from_version,
        toVersion: r.to_version,
        movedBy: r.moved_by,
        movedAt: r.moved_at.toISOString(),
      }),
    );
  }

  /**
   * Runtime fetch: one statement resolves slug, label or version and reads the snapshot. The ETag
   * is a hash of the body, so it changes exactly when what the client would receive changes.
   */
  async fetchBySlug(slug: string, at: { label?: string; version?: number }): Promise<RuntimeFetch> {
    if (at.label !== undefined && at.version !== undefined) {
      throw new AppException('validation_failed', 'Give either version or label, not both', {
        errors: [{ field: 'label', message: 'label and version are mutually exclusive' }],
      });
    }
    const tenant = this.context.caller;
    const params: unknown[] = [tenant.organizationId, slug, tenant.userId];
    let join: string;
    if (at.label !== undefined) {
      params.push(at.label);
      join = `JOIN prompt_labels l ON l.prompt_id = p.id AND l.label = $4
              JOIN prompt_versions v ON v.prompt_id = p.id AND v.version = l.version`;
    } else if (at.version !== undefined) {
      params.push(at.version);
      join = `JOIN prompt_versions v ON v.prompt_id = p.id AND v.version = $4`;
    } else {
      join = `JOIN prompt_versions v ON v.prompt_id = p.id AND v.version = p.version`;
    }
    // Prepared: the runtime fetch is the hottest read, and planning under RLS costs more than running it.
    const [row] = await preparedQuery<RuntimeRow>(
      this.em,
      `SELECT p.id, p.slug, v.version, v.title, v.content, v.variables, v.metadata, v.created_at
         FROM prompts p ${join}
        WHERE p.organization_id = $1 AND p.slug = $2 AND (p.visibility = 'organization' OR p.author_id = $3)`,
      params,
    );
    if (!row) {
      // Only on the miss path: say which part was not found.
      const [prompt] = await this.em.query<unknown[]>(
        `SELECT 1 FROM prompts p WHERE p.organization_id = $1 AND p.slug = $2
            AND (p.visibility = 'organization' OR p.author_id = $3)`,
        params.slice(0, 3),
      );
      if (!prompt) throw notFound(`Prompt "${slug}"`);
      throw notFound(at.label !== undefined ? `Label "${at.label}"` : `Version ${at.version}`);
    }
    const body: RuntimePromptResponseDto = {
      id: row.id,
      slug: row.slug,
      version: row.version,
      label: at.label ?? null,
      title: row.title,
      content: row.content,
      variables: row.variables,
      metadata: row.metadata,
      createdAt: row.created_at.toISOString(),
    };
    const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 32)}"`;
    return { body, etag };
  }

  private get em() {
    return this.transactions.manager;
  }
}

/** Whether an If-None-Match header matches the ETag (weak comparison, as RFC 9110 asks for it). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => opaque(t) === opaque(etag));
}
