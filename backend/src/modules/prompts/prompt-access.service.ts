import { Injectable } from '@nestjs/common';
import type { Action } from '../../authz/ability.factory';
import { requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { VersionException } from '../versions/versions.errors';
import { VersionsRepository } from '../versions/versions.repository';
import type { ResolvedVersion } from './prompt.model';
import { PromptRow, PromptsRepository } from './prompts.repository';

/**
 * The reads every prompt-related service starts from: the prompt as the caller may see it, the
 * rights on it, and the version a request names. Prompts, versions, test cases and comments share
 * these rules instead of each reading prompts its own way.
 */
@Injectable()
export class PromptAccess {
  constructor(
    private readonly prompts: PromptsRepository,
    private readonly versions: VersionsRepository,
  ) {}

  /** The prompt if the caller can see it (same organization; private ones only for their author). */
  async loadVisible(caller: Caller, id: string, lock = false): Promise<PromptRow> {
    const row = await this.prompts.findVisible(caller, id, lock);
    if (!row) throw notFound('Prompt');
    return row;
  }

  /** Visible, locked, and the caller may `action` it (404 before 403: invisible ones do not leak). */
  async loadForWrite(
    caller: Caller,
    id: string,
    action: Extract<Action, 'update' | 'delete'>,
  ): Promise<PromptRow> {
    const row = await this.loadVisible(caller, id, true);
    this.assertCanOn(caller, action, row);
    return row;
  }

  assertCanOn(caller: Caller, action: Action, row: { author_id: string | null }): void {
    requireAccess(
      caller,
      action,
      { __type: 'Prompt', authorId: row.author_id },
      action === 'delete'
        ? 'Your role allows deleting your own prompts only'
        : 'Your role does not allow changing this prompt',
    );
  }

  /** A version of the prompt: the given number, the one a label points at, or the current one. */
  async resolveVersion(
    prompt: { id: string; version: number },
    at: { version?: number; label?: string },
  ): Promise<ResolvedVersion> {
    if (at.version !== undefined && at.label !== undefined) {
      throw new AppException('validation_failed', 'Give either version or label, not both', {
        errors: [{ field: 'label', message: 'label and version are mutually exclusive' }],
      });
    }
    let version = at.version ?? prompt.version;
    if (at.label !== undefined) {
      const labelled = await this.versions.labelVersion(prompt.id, at.label);
      if (labelled === undefined)
        throw new VersionException('version_label_not_found', `Label "${at.label}" was not found`);
      version = labelled;
    }
    const row = await this.versions.find(prompt.id, version);
    if (!row) throw new VersionException('version_not_found', `Version ${version} was not found`);
    return {
      version: row.version,
      title: row.title,
      description: row.description,
      content: row.content,
      variables: row.variables,
      metadata: row.metadata,
      changeNote: row.change_note,
      changedBy: row.changed_by,
      createdAt: row.created_at,
    };
  }
}
