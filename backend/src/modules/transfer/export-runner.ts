import { Injectable, Logger } from '@nestjs/common';
import { can } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { PlanLimitsService, versionVisible } from '../billing/plan-limits.service';
import type { SavedFilters } from '../search/search-filters';
import { SearchService } from '../search/search.service';
import { exportWriter, finished } from './export-writers';
import { ExportPromptRow, ExportRow, ExportsRepository, ExportVersionRow } from './exports.repository';
import { JobCallerGone, JobCallers } from './job-caller';
import { TransferBlobs } from './transfer-blobs.repository';

/** Prompts fetched at a time while exporting. */
const EXPORT_BATCH = 500;
/** Versions fetched at a time (prompts have a few each). */
const VERSIONS_BATCH = 2000;
/** The most prompts an export of a search result covers (the search's own pages, 100 at a time). */
export const SEARCH_EXPORT_MAX = 10_000;

/**
 * The versions of an export's prompts, read alongside them: both come by prompt id, so each batch
 * of prompts takes the versions up to its last prompt, and what was fetched beyond it waits for
 * the next batch.
 */
export class VersionsInOrder {
  private pending: ExportVersionRow[] = [];
  private exhausted = false;

  constructor(
    private readonly fetch: (limit: number) => Promise<ExportVersionRow[]>,
    private readonly batch: number,
  ) {}

  /** The versions of the prompts up to `lastPromptId` (inclusive) not handed out yet, by prompt. */
  async upTo(lastPromptId: string): Promise<Map<string, ExportVersionRow[]>> {
    const byPrompt = new Map<string, ExportVersionRow[]>();
    for (;;) {
      if (!this.pending.length && !this.exhausted) {
        this.pending = await this.fetch(this.batch);
        this.exhausted = this.pending.length === 0;
      }
      if (!this.pending.length) return byPrompt;
      // uuid text in canonical lower case sorts as PostgreSQL orders uuids (byte by byte).
      const end = this.pending.findIndex((v) => v.prompt_id > lastPromptId);
      for (const v of end < 0 ? this.pending : this.pending.slice(0, end)) {
        const list = byPrompt.get(v.prompt_id);
        if (list) list.push(v);
        else byPrompt.set(v.prompt_id, [v]);
      }
      this.pending = end < 0 ? [] : this.pending.slice(end);
      if (end >= 0) return byPrompt;
    }
  }
}

/**
 * Runs an export as the member who asked for it: row-level security (and the statement) leave
 * out other members' private prompts. The file is written as it is read, batch by batch, into a
 * blob in the same transaction; the row then carries its expiry (EXPORT_TTL_HOURS).
 */
@Injectable()
export class ExportRunner {
  private readonly logger = new Logger(ExportRunner.name);

  constructor(
    private readonly exportsRepo: ExportsRepository,
    private readonly blobs: TransferBlobs,
    private readonly callers: JobCallers,
    private readonly transactions: TenantTransactions,
    private readonly planLimits: PlanLimitsService,
    private readonly search: SearchService,
    private readonly config: AppConfig,
  ) {}

  async run(organizationId: string, exportId: string, createdBy: string | null): Promise<void> {
    try {
      await this.callers.run(organizationId, createdBy, async (caller) => {
        const row = await this.exportsRepo.find(exportId, true);
        if (!row || (row.status !== 'queued' && row.status !== 'running')) return;
        // The organization may have stopped members' exports since the request.
        if (!can(caller, 'export', 'Data'))
          throw new JobCallerGone('Your role may no longer export prompts in this organization');
        await this.write(caller, row);
      });
    } catch (err) {
      const message =
        err instanceof JobCallerGone ? err.message : `The export failed: ${(err as Error).message}`;
      this.logger.warn({ err, exportId }, 'export failed');
      await this.transactions.run({ organizationId, userId: null }, () =>
        this.exportsRepo.fail(exportId, message),
      );
    }
  }

  private async write(caller: Caller, row: ExportRow): Promise<void> {
    const blob = this.blobs.writer(row.organization_id);
    const writer = exportWriter(
      row.format,
      blob.stream,
      await this.exportsRepo.organization(row.organization_id),
    );
    const withVersions = row.format === 'json' && row.include_versions;
    const window = withVersions ? await this.planLimits.historyWindow(row.organization_id) : null;
    const ids =
      row.selection.kind === 'ids'
        ? row.selection.ids
        : row.selection.kind === 'query'
          ? await this.searchIds(caller, row.selection.query, row.selection.filters ?? {})
          : undefined;
    const collectionId = row.selection.kind === 'collection' ? row.selection.collectionId : undefined;

    await writer.begin();
    await this.exportsRepo.openReads(caller.userId, { ids, collectionId }, window !== null);
    const versionsOf = window
      ? new VersionsInOrder((n) => this.exportsRepo.nextVersions(n), VERSIONS_BATCH)
      : null;
    let count = 0;
    for (;;) {
      const prompts: ExportPromptRow[] = await this.exportsRepo.nextPrompts(EXPORT_BATCH);
      if (!prompts.length) break;
      const versions = versionsOf ? await versionsOf.upTo(prompts[prompts.length - 1].id) : null;
      for (const p of prompts) {
        const history = window
          ? (versions?.get(p.id) ?? []).filter((v) =>
              versionVisible(window, p.version, { version: v.version, createdAt: new Date(v.created_at) }),
            )
          : null;
        await writer.add(p, history);
      }
      count += prompts.length;
    }
    await writer.end();
    await finished(blob.stream);
    const stamp = new Date().toISOString().slice(0, 10);
    await this.exportsRepo.finish(row.id, {
      count,
      blobId: blob.id,
      sizeBytes: blob.size(),
      filename: `prompts-${stamp}.${writer.extension}`,
      contentType: writer.contentType,
      expiresAt: new Date(Date.now() + this.config.transfer.exportTtlMs),
    });
  }

  /** The ids a search (words and filters) finds, page after page (at most SEARCH_EXPORT_MAX). */
  private async searchIds(caller: Caller, q: string, filters: SavedFilters): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.search.search(
        { organizationId: caller.organizationId, userId: caller.userId },
        { q, filters, limit: 100, cursor },
        { record: false },
      );
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && ids.length < SEARCH_EXPORT_MAX);
    return ids.slice(0, SEARCH_EXPORT_MAX);
  }
}
