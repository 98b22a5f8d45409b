import { Injectable } from '@nestjs/common';
import { requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { AppException } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { AuditService } from '../audit/audit.service';
import { type HistoryWindow, PlanLimitsService, versionVisible } from '../billing/plan-limits.service';
import { OrganizationSettingsService } from '../organizations/organization-settings.service';
import { OutboxService } from '../outbox/outbox.service';
import { PromptResponseDto } from '../prompts/dto/prompt.response.dto';
import { PromptAccess } from '../prompts/prompt-access.service';
import type { ResolvedVersion } from '../prompts/prompt.model';
import { promptEvent } from '../prompts/prompts.mapper';
import { PromptsRepository } from '../prompts/prompts.repository';
import { PromptsService } from '../prompts/prompts.service';
import { TIMESTAMP_TEXT } from '../prompts/prompts.sql';
import { contentDiff, jsonDiff, wordDiff } from './diff';
import {
  DiffFieldsDto,
  DiffResponseDto,
  LabelMoveResponseDto,
  LabelResponseDto,
  VersionResponseDto,
  VersionSummaryResponseDto,
} from './dto/version.response.dto';
import { VersionException } from './versions.errors';
import { VersionsRepository } from './versions.repository';
import { PromotionGate } from '../test-runs/promotion-gate';

/** The label whose moves need `move_production_label` (OWNER, ADMIN). */
export const PRODUCTION_LABEL = 'production';

type VersionCursor = { v: number };
const isVersionCursor = (v: unknown): v is VersionCursor =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as VersionCursor).v);
/** `s`: the last move's seq (18 digits always fit a bigint). */
type MoveCursor = { s: string };
const isMoveCursor = (v: unknown): v is MoveCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as MoveCursor).s === 'string' &&
  /^\d{1,18}$/.test((v as MoveCursor).s);
/** The cursor handed out before moves had a seq ({moved_at text, id}); still honoured by its id. */
type LegacyMoveCursor = { t: string; id: string };
const isLegacyMoveCursor = (v: unknown): v is LegacyMoveCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as LegacyMoveCursor).t === 'string' &&
  TIMESTAMP_TEXT.test((v as LegacyMoveCursor).t) &&
  typeof (v as LegacyMoveCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as LegacyMoveCursor).id);
const isAnyMoveCursor = (v: unknown): v is MoveCursor | LegacyMoveCursor =>
  isMoveCursor(v) || isLegacyMoveCursor(v);

/**
 * Version history, diffs, reverts and release labels, within the plan's visible history. Versions
 * are written by the prompt's save; here they are read, compared and pointed at. The runtime fetch
 * by slug is `RuntimeFetchService`.
 */
@Injectable()
export class VersionsService {
  constructor(
    private readonly versions: VersionsRepository,
    private readonly prompts: PromptsRepository,
    private readonly promptViews: PromptsService,
    private readonly access: PromptAccess,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly planLimits: PlanLimitsService,
    private readonly settings: OrganizationSettingsService,
    private readonly promotionGate: PromotionGate,
  ) {}

  /**
   * A version as `resolveVersion` reads it, if the organization's plan shows it (Free: the last 3
   * versions, Starter: those of the last 30 days, always the current one); otherwise 404
   * `version_not_found` naming the plan's window. Hidden versions are kept: an upgrade shows them
   * again, and labels (and the runtime fetch) still reach them.
   */
  private async visibleVersion(
    caller: Caller,
    prompt: { id: string; version: number },
    version: number,
    window?: HistoryWindow,
  ): Promise<ResolvedVersion> {
    const v = await this.access.resolveVersion(prompt, { version });
    window ??= await this.planLimits.historyWindow(caller.organizationId);
    if (!versionVisible(window, prompt.version, v)) {
      throw new VersionException(
        'version_not_found',
        `Version ${version} is outside the visible history: ${this.planLimits.describeWindow(window)}; upgrade the plan to see it`,
        { extensions: { plan: window.plan, upgradeUrl: this.planLimits.upgradeUrl } },
      );
    }
    return v;
  }

  async list(
    caller: Caller,
    promptId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<VersionSummaryResponseDto>> {
    const prompt = await this.access.loadVisible(caller, promptId);
    const window = await this.planLimits.historyWindow(caller.organizationId);
    const rows = await this.versions.page(
      promptId,
      limit,
      cursor ? decodeCursor(cursor, isVersionCursor).v : undefined,
      {
        current: prompt.version,
        afterVersion: window.versions === null ? null : prompt.version - window.versions,
        since: window.since,
      },
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

  async get(caller: Caller, promptId: string, version: number): Promise<VersionResponseDto> {
    const prompt = await this.access.loadVisible(caller, promptId);
    const v = await this.visibleVersion(caller, prompt, version);
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
  async diff(caller: Caller, promptId: string, from: number, to: number): Promise<DiffResponseDto> {
    const prompt = await this.access.loadVisible(caller, promptId);
    const window = await this.planLimits.historyWindow(caller.organizationId);
    const a = await this.visibleVersion(caller, prompt, from, window);
    const b = await this.visibleVersion(caller, prompt, to, window);
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
  async revert(
    caller: Caller,
    promptId: string,
    version: number,
    changeNote?: string,
  ): Promise<PromptResponseDto> {
    const prompt = await this.access.loadForWrite(caller, promptId, 'update');
    const v = await this.visibleVersion(caller, prompt, version);
    const next = prompt.version + 1;
    await this.prompts.update(promptId, {
      title: v.title,
      description: v.description,
      content: v.content,
      variables: JSON.stringify(v.variables),
      metadata: JSON.stringify(v.metadata),
      version: next,
    });
    await this.versions.insertFromPrompt(
      promptId,
      next,
      changeNote || `Revert to version ${version}`,
      caller.userId,
    );
    await this.audit.record({
      action: 'prompt.reverted',
      target: { type: 'prompt', id: promptId },
      changes: { revertedTo: version, from: prompt.version, version: next },
    });
    await this.outbox.publish(promptEvent('prompt.updated', promptId));
    await this.outbox.publish(promptEvent('prompt.version_created', promptId, { version: next }));
    return this.promptViews.view(caller, promptId);
  }

  async labels(caller: Caller, promptId: string): Promise<LabelResponseDto[]> {
    await this.access.loadVisible(caller, promptId);
    const rows = await this.versions.labels(promptId);
    return rows.map((r) => ({
      label: r.label,
      version: r.version,
      updatedBy: r.updated_by,
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  /**
   * Points `label` at `version`. `production` needs move_production_label (OWNER, ADMIN); other
   * labels need the right to edit the prompt. When the organization requires it
   * (`requireTestRunForProduction`), `production` moves only to a version whose last finished test
   * run passed (409 test_run_required). Every move is kept in prompt_label_moves and audited;
   * pointing a label where it already points changes nothing.
   */
  async moveLabel(
    caller: Caller,
    promptId: string,
    label: string,
    version: number,
  ): Promise<LabelResponseDto> {
    const prompt = await this.access.loadVisible(caller, promptId, true);
    if (label === PRODUCTION_LABEL) {
      requireAccess(
        caller,
        'move_production_label',
        'Prompt',
        'Only OWNER and ADMIN may move the production label',
      );
    } else {
      this.access.assertCanOn(caller, 'update', prompt);
    }
    if (!(await this.versions.exists(promptId, version)))
      throw new AppException('validation_failed', `The prompt has no version ${version}`, {
        errors: [
          { field: 'version', message: `version ${version} does not exist (latest is ${prompt.version})` },
        ],
      });
    const current = await this.versions.lockLabel(promptId, label);
    if (current?.version === version) {
      return { label, version, updatedBy: current.updated_by, updatedAt: current.updated_at.toISOString() };
    }
    if (label === PRODUCTION_LABEL) {
      const { requireTestRunForProduction } = await this.settings.get(prompt.organization_id);
      await this.promotionGate.assertPromotable(promptId, version, requireTestRunForProduction);
    }
    const at = await this.versions.pointLabel(
      prompt.organization_id,
      promptId,
      label,
      version,
      caller.userId,
    );
    const from = current?.version ?? null;
    await this.versions.recordMove({
      organizationId: prompt.organization_id,
      promptId,
      label,
      from,
      to: version,
      userId: caller.userId,
      at,
    });
    await this.audit.record({
      action: 'prompt.label_moved',
      target: { type: 'prompt', id: promptId },
      changes: { label, from, to: version },
    });
    await this.outbox.publish(promptEvent('prompt.label_moved', promptId, { label, from, to: version }));
    return { label, version, updatedBy: caller.userId, updatedAt: at.toISOString() };
  }

  async labelHistory(
    caller: Caller,
    promptId: string,
    limit: number,
    cursor?: string,
    label?: string,
  ): Promise<Page<LabelMoveResponseDto>> {
    await this.access.loadVisible(caller, promptId);
    const after = cursor ? decodeCursor(cursor, isAnyMoveCursor) : undefined;
    const rows = await this.versions.moves(
      promptId,
      limit,
      label,
      after && ('s' in after ? { seq: after.s } : { id: after.id }),
    );
    return toPage(
      rows,
      limit,
      (r): MoveCursor => ({ s: r.seq }),
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
}
