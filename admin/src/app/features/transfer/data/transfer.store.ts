import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import {
  CommitImportRequest,
  CreateExportRequest,
  ExportView,
  ImportView,
  saveBlob,
  TransferApi,
} from './transfer.api';

/** How often a running import or export is polled. */
export const POLL_MS = 1000;

/** Whether an import or export with this status is still being worked on (and so polled). */
export const jobRunning = (status: string | undefined) =>
  status === 'validating' || status === 'importing' || status === 'queued' || status === 'running';
const busy = jobRunning;

/**
 * The Import/Export page's state: the current import (upload → preview → commit → summary, polled
 * while a job runs) and the caller's exports (polled while one is being made). Provided by the
 * page; the library, collections and search start exports through `TransferExports` (the export
 * dialog, with its own `ExportJobStore`) instead.
 */
@Injectable()
export class TransferStore {
  private readonly api = inject(TransferApi);
  private readonly session = inject(SessionStore);
  private timer: ReturnType<typeof setTimeout> | null = null;

  readonly canImport = computed(() => this.session.ability().can('create', 'Prompt'));
  readonly canExport = computed(() => this.session.ability().can('export', 'Data'));

  readonly current = signal<ImportView | null>(null);
  readonly uploading = signal(false);
  readonly importBusy = computed(() => this.uploading() || busy(this.current()?.status));
  /** Share of the commit done, 0–100 (null while nothing runs). */
  readonly percent = computed(() => {
    const progress = this.current()?.progress;
    return progress && progress.total ? Math.round((100 * progress.done) / progress.total) : null;
  });

  readonly exportList = rxResource({
    params: () => (this.canExport() ? (this.session.organizationId() ?? undefined) : undefined),
    stream: () => this.api.listExports(),
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  async upload(file: File): Promise<void> {
    this.uploading.set(true);
    try {
      const accepted = await firstValueFrom(this.api.upload(file));
      this.current.set(await firstValueFrom(this.api.getImport(accepted.id)));
      this.poll();
    } finally {
      this.uploading.set(false);
    }
  }

  async commit(body: CommitImportRequest): Promise<void> {
    const imp = this.current();
    if (!imp) return;
    await firstValueFrom(this.api.commit(imp.id, body));
    this.current.set(await firstValueFrom(this.api.getImport(imp.id)));
    this.poll();
  }

  reset(): void {
    this.stop();
    this.current.set(null);
  }

  async downloadErrors(): Promise<void> {
    const imp = this.current();
    if (!imp) return;
    saveBlob(await firstValueFrom(this.api.errors(imp.id)), `${imp.filename}-errors.csv`);
  }

  async startExport(body: CreateExportRequest): Promise<ExportView> {
    const created = await firstValueFrom(this.api.createExport(body));
    this.exportList.reload();
    this.poll();
    return created;
  }

  async download(item: ExportView): Promise<void> {
    saveBlob(await firstValueFrom(this.api.download(item.id)), item.filename ?? 'prompts');
  }

  /** Polls the running import and the export list until nothing runs. */
  private poll(): void {
    this.stop();
    this.timer = setTimeout(() => void this.tick(), POLL_MS);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const imp = this.current();
    if (imp && busy(imp.status)) this.current.set(await firstValueFrom(this.api.getImport(imp.id)));
    const exportsRunning = this.exportList.value()?.items.some((e) => busy(e.status)) ?? false;
    if (exportsRunning) this.exportList.reload();
    if (busy(this.current()?.status) || exportsRunning || this.exportList.isLoading()) this.poll();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
