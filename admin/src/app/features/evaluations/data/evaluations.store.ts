import { computed, inject, Injectable, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { describeFailure } from '../../../core/http/error-catalogue';
import { ProblemError } from '../../../core/http/problem';
import { SessionStore } from '../../../core/session/session.store';
import { CreateEvaluationRequest, Evaluation, EvaluationsApi } from './evaluations.api';
import { EVALUATION_ERRORS } from './evaluations-errors';

/**
 * One prompt's evaluations (newest first, page by page) and the Evaluate action. Provided by the
 * evaluations panel; the panel sets the prompt. Everyone who sees the prompt reads the history;
 * OWNER, ADMIN and EDITOR evaluate.
 */
@Injectable()
export class EvaluationsStore {
  private readonly api = inject(EvaluationsApi);
  private readonly session = inject(SessionStore);

  readonly promptId = signal<string | null>(null);
  readonly canEvaluate = computed(() => this.session.can('create', 'Evaluation'));

  private readonly firstPage = rxResource({
    params: () => this.promptId() ?? undefined,
    stream: ({ params }) => this.api.list(params),
  });
  /** Evaluations made here since the first page loaded, and pages loaded after it. */
  private readonly added = signal<Evaluation[]>([]);
  private readonly more = signal<{ items: Evaluation[]; nextCursor: string | null } | null>(null);

  /** The history, newest first; undefined while the first page loads. */
  readonly history = computed<Evaluation[] | undefined>(() => {
    const first = this.firstPage.value();
    if (!first) return undefined;
    return [...this.added(), ...first.items, ...(this.more()?.items ?? [])];
  });
  readonly loading = computed(() => this.firstPage.isLoading());
  readonly loadFailed = computed(() => !!this.firstPage.error());
  readonly hasMore = computed(() => !!(this.more() ?? this.firstPage.value())?.nextCursor);
  readonly loadingMore = signal(false);

  /** The evaluation shown in full: the one picked in the history, else the newest. */
  private readonly selectedId = signal<string | null>(null);
  readonly selected = computed<Evaluation | null>(() => {
    const list = this.history() ?? [];
    return list.find((e) => e.id === this.selectedId()) ?? list[0] ?? null;
  });

  readonly models = rxResource({
    params: () => (this.canEvaluate() ? true : undefined),
    stream: () => this.api.models(),
  });

  readonly evaluating = signal(false);
  /** Why the last Evaluate failed (plan limits open the upgrade dialog instead). */
  readonly error = signal<string | null>(null);

  setPrompt(promptId: string): void {
    if (this.promptId() === promptId) return;
    this.added.set([]);
    this.more.set(null);
    this.selectedId.set(null);
    this.error.set(null);
    this.promptId.set(promptId);
  }

  select(evaluation: Evaluation): void {
    this.selectedId.set(evaluation.id);
  }

  reload(): void {
    this.added.set([]);
    this.more.set(null);
    this.firstPage.reload();
  }

  async loadMore(): Promise<void> {
    const id = this.promptId();
    const cursor = (this.more() ?? this.firstPage.value())?.nextCursor;
    if (!id || !cursor || this.loadingMore()) return;
    this.loadingMore.set(true);
    try {
      const page = await firstValueFrom(this.api.list(id, cursor));
      this.more.update((before) => ({
        items: [...(before?.items ?? []), ...page.items],
        nextCursor: page.nextCursor,
      }));
    } catch (err) {
      this.error.set(describeFailure(err, EVALUATION_ERRORS, 'The older evaluations could not be loaded.'));
    } finally {
      this.loadingMore.set(false);
    }
  }

  /**
   * Asks the evaluator; the new evaluation goes first in the history and is shown. Returns it, or
   * null when it failed (the reason in `error`, or the upgrade dialog for a plan limit).
   */
  async evaluate(body: CreateEvaluationRequest): Promise<Evaluation | null> {
    const id = this.promptId();
    if (!id || this.evaluating()) return null;
    this.evaluating.set(true);
    this.error.set(null);
    try {
      const evaluation = await firstValueFrom(this.api.evaluate(id, body));
      this.added.update((list) => [evaluation, ...list]);
      this.selectedId.set(evaluation.id);
      return evaluation;
    } catch (err) {
      if (!(err instanceof ProblemError && err.notified))
        this.error.set(describeFailure(err, EVALUATION_ERRORS, 'The evaluation failed.'));
      return null;
    } finally {
      this.evaluating.set(false);
    }
  }
}
