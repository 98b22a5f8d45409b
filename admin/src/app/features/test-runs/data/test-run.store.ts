import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { ProblemError } from '../../../core/http/problem';
import { problemMessage } from '../../../core/http/problem.interceptor';
import { Model, PlaygroundApi } from '../../playground/data/playground.api';
import { CreateTestRunRequest, TestRunDetail, TestRunsApi } from './test-runs.api';

/** How often a running test run is polled. */
export const POLL_MS = 1000;

/** What a failed start says, by problem code (decisions on codes, never on message text). */
const START_MESSAGES: Record<string, string> = {
  test_run_no_test_cases: 'Save a test case first: a test run runs every saved case on each model.',
  version_label_not_found: 'No version carries that label.',
  version_not_found: 'That version does not exist.',
};

export function describeStartError(error: unknown): string {
  if (error instanceof ProblemError) {
    const code = error.problem.code;
    const known = code ? START_MESSAGES[code] : undefined;
    return known ?? problemMessage(error.problem);
  }
  return 'The test run could not be started.';
}

/**
 * One prompt's test runs for the test-run panel: the model catalogue, the latest run (loaded
 * with the panel), starting a run and polling it until it is done or failed. Provided by the panel.
 */
@Injectable()
export class TestRunStore {
  private readonly api = inject(TestRunsApi);
  private readonly playground = inject(PlaygroundApi);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;

  readonly models = signal<Model[]>([]);
  readonly run = signal<TestRunDetail | null>(null);
  readonly loading = signal(false);
  readonly starting = signal(false);
  readonly error = signal<string | null>(null);

  readonly running = computed(() => {
    const status = this.run()?.status;
    return status === 'queued' || status === 'running';
  });
  /** 0–100. */
  readonly percent = computed(() => {
    const progress = this.run()?.progress;
    return progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  });
  readonly passedCount = computed(() => this.run()?.results.filter((r) => r.passed).length ?? 0);

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.stopPolling();
    });
  }

  /** The catalogue and the prompt's latest test run (polled if it is still going). */
  async load(promptId: string): Promise<void> {
    this.loading.set(true);
    try {
      const [models, page] = await Promise.all([
        firstValueFrom(this.playground.models()).catch(() => [] as Model[]),
        firstValueFrom(this.api.list(promptId, 1)).catch(() => null),
      ]);
      this.models.set(models);
      const latest = page?.items[0];
      if (latest) await this.refresh(latest.id);
    } finally {
      this.loading.set(false);
    }
  }

  async start(promptId: string, request: CreateTestRunRequest): Promise<boolean> {
    this.starting.set(true);
    this.error.set(null);
    try {
      const { id } = await firstValueFrom(this.api.start(promptId, request));
      await this.refresh(id);
      return true;
    } catch (error) {
      this.error.set(describeStartError(error));
      return false;
    } finally {
      this.starting.set(false);
    }
  }

  /** Reads the run; while it is queued or running, reads it again every POLL_MS. */
  async refresh(id: string): Promise<void> {
    this.stopPolling();
    try {
      const run = await firstValueFrom(this.api.get(id));
      if (this.destroyed) return;
      this.run.set(run);
    } catch {
      if (this.destroyed) return;
      this.error.set('The test run could not be read; retrying.');
    }
    const status = this.run()?.status;
    if (!this.destroyed && (status === 'queued' || status === 'running' || this.run()?.id !== id))
      this.timer = setTimeout(() => void this.refresh(id), POLL_MS);
  }

  private stopPolling(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
