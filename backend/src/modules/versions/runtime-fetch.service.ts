import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { UsageRecorder } from '../analytics/usage-recorder';
import { RuntimePromptResponseDto } from './dto/version.response.dto';
import { VersionException } from './versions.errors';
import { VersionsRepository } from './versions.repository';

export interface RuntimeFetch {
  body: RuntimePromptResponseDto;
  /** Strong validator of exactly this body. */
  etag: string;
}

/**
 * The runtime fetch by slug (`GET /prompts/by-slug/:slug`), the API's hottest read: one prepared
 * statement, sent with the transaction's COMMIT, no plan-history window (labels and the current version are always reachable), no
 * writes (usage is counted in memory). History, diffs, reverts and labels are `VersionsService`.
 */
@Injectable()
export class RuntimeFetchService {
  constructor(
    private readonly versions: VersionsRepository,
    private readonly usage: UsageRecorder,
  ) {}

  /**
   * One statement resolves slug, label or version and reads the snapshot. The ETag is a hash of
   * the body, so it changes exactly when what the client would receive changes.
   */
  async fetchBySlug(
    caller: Caller,
    slug: string,
    at: { label?: string; version?: number },
  ): Promise<RuntimeFetch> {
    if (at.label !== undefined && at.version !== undefined) {
      throw new AppException('validation_failed', 'Give either version or label, not both', {
        errors: [{ field: 'label', message: 'label and version are mutually exclusive' }],
      });
    }
    const row = await this.versions.runtime(caller, slug, at);
    if (!row) throw notFound(`Prompt "${slug}"`);
    if (row.version === null) {
      throw at.label !== undefined
        ? new VersionException('version_label_not_found', `Label "${at.label}" was not found`)
        : new VersionException('version_not_found', `Version ${at.version} was not found`);
    }
    // Counted in memory, written by the recorder's flush: the fetch itself never writes.
    this.usage.count('fetch', caller, { promptId: row.id, version: row.version, label: at.label });
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
}

/** Whether an If-None-Match header matches the ETag (weak comparison, as RFC 9110 asks for it). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => opaque(t) === opaque(etag));
}
