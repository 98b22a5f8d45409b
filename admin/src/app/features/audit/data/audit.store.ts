import { HttpEventType } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom, lastValueFrom, tap } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import { AuditApi, AuditEvent, AuditFilter, AuditVerdict, ExportFormat } from './audit.api';

/** A download in progress: bytes received so far (the streamed export has no known size). */
export interface ExportProgress {
  format: ExportFormat;
  loaded: number;
}

/**
 * The audit log page's state: the filter, the events loaded so far (pages follow the cursor as
 * the list scrolls), the selected event, the integrity check and the export download. Provided by
 * the page. OWNER and ADMIN only (the route checks `read AuditEvent`).
 */
@Injectable()
export class AuditStore {
  private readonly api = inject(AuditApi);
  private readonly session = inject(SessionStore);

  readonly canExport = computed(() => this.session.can('export', 'AuditEvent'));

  readonly filter = signal<AuditFilter>({});
  readonly events = signal<readonly AuditEvent[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  readonly error = signal<unknown>(null);
  /** Whether the first page arrived for the current filter. */
  readonly loaded = signal(false);
  readonly hasMore = computed(() => this.nextCursor() !== null);

  readonly selected = signal<AuditEvent | null>(null);

  readonly verdict = signal<AuditVerdict | null>(null);
  readonly verifying = signal(false);
  readonly verifyError = signal<unknown>(null);

  readonly exporting = signal<ExportProgress | null>(null);
  readonly exportError = signal<unknown>(null);

  /** The organization's members, for the actor filter. */
  readonly members = rxResource({
    params: () => this.session.organizationId() ?? undefined,
    stream: ({ params: organizationId }) => this.api.members(organizationId),
  });

  private generation = 0;

  /** Replaces the filter and loads its first page. */
  async apply(filter: AuditFilter): Promise<void> {
    this.filter.set(filter);
    this.events.set([]);
    this.nextCursor.set(null);
    this.loaded.set(false);
    this.selected.set(null);
    await this.fetch(undefined);
  }

  /** The next page of the current filter (infinite scroll); nothing when all are loaded or one is loading. */
  async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor || this.loading()) return;
    await this.fetch(cursor);
  }

  private async fetch(cursor: string | undefined): Promise<void> {
    const generation = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await firstValueFrom(this.api.list(this.filter(), cursor));
      // A newer filter won: its answer is the one that counts.
      if (generation !== this.generation) return;
      this.events.update((events) => [...events, ...page.items]);
      this.nextCursor.set(page.nextCursor);
      this.loaded.set(true);
    } catch (error) {
      if (generation === this.generation) this.error.set(error);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  select(event: AuditEvent | null): void {
    this.selected.set(event);
  }

  async verify(): Promise<void> {
    this.verifying.set(true);
    this.verifyError.set(null);
    try {
      this.verdict.set(await firstValueFrom(this.api.verify()));
    } catch (error) {
      this.verdict.set(null);
      this.verifyError.set(error);
    } finally {
      this.verifying.set(false);
    }
  }

  /**
   * Downloads the filtered events as CSV or JSON Lines, reporting the bytes received; resolves
   * with the file (and its name from Content-Disposition) for the page to save.
   */
  async export(format: ExportFormat): Promise<{ blob: Blob; filename: string } | null> {
    if (this.exporting()) return null;
    this.exporting.set({ format, loaded: 0 });
    this.exportError.set(null);
    try {
      const last = await lastValueFrom(
        this.api.export(format, this.filter()).pipe(
          tap((event) => {
            if (event.type === HttpEventType.DownloadProgress)
              this.exporting.set({ format, loaded: event.loaded });
          }),
        ),
      );
      if (last.type !== HttpEventType.Response || !last.body)
        throw new Error('The export ended without a file');
      const disposition = last.headers.get('Content-Disposition') ?? '';
      const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `audit.${format}`;
      return { blob: last.body, filename };
    } catch (error) {
      this.exportError.set(error);
      return null;
    } finally {
      this.exporting.set(null);
    }
  }
}
