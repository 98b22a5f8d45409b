import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { CreateExportRequest, ExportView, saveBlob, TransferApi } from './transfer.api';
import { jobRunning, POLL_MS } from './transfer.store';

/**
 * One export started from the export dialog: the request, its status polled every `POLL_MS`
 * while it is queued or running, and the download once it is done. Provided by the dialog, so
 * closing it stops the polling (the export itself goes on and stays in the Import/Export page's
 * list).
 */
@Injectable()
export class ExportJobStore {
  private readonly api = inject(TransferApi);
  private timer: ReturnType<typeof setTimeout> | null = null;

  readonly job = signal<ExportView | null>(null);
  readonly starting = signal(false);
  /** Why the status could no longer be read (polling stops; the export may still finish). */
  readonly pollError = signal<unknown>(null);
  readonly running = computed(() => this.starting() || jobRunning(this.job()?.status));
  readonly done = computed(() => this.job()?.status === 'done');

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  async start(body: CreateExportRequest): Promise<void> {
    this.starting.set(true);
    try {
      this.job.set(await firstValueFrom(this.api.createExport(body)));
    } finally {
      this.starting.set(false);
    }
    this.schedule();
  }

  async download(): Promise<void> {
    const job = this.job();
    if (!job) return;
    saveBlob(await firstValueFrom(this.api.download(job.id)), job.filename ?? `prompts.${job.format}`);
  }

  private schedule(): void {
    this.stop();
    if (jobRunning(this.job()?.status)) this.timer = setTimeout(() => void this.tick(), POLL_MS);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const job = this.job();
    if (!job) return;
    try {
      this.job.set(await firstValueFrom(this.api.getExport(job.id)));
      this.pollError.set(null);
    } catch (error) {
      this.pollError.set(error);
      return;
    }
    this.schedule();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
