import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MonoTypeOperatorFunction, Observable, tap } from 'rxjs';
import { CollaborationApi } from './collaboration.api';
import { describeError, statusOf } from './errors';
import { LibraryLookups } from './library-lookups.store';
import {
  ActivityEntry,
  Comment,
  LabelMove,
  Prompt,
  PromptDiff,
  RenderResult,
  RunTarget,
  TestCase,
  TestCaseInput,
  TestCaseRun,
  TestRun,
  VersionSnapshot,
  VersionSummary,
} from './library.types';
import { promptPermissions } from './permissions';
import { PromptsApi } from './prompts.api';

/** One prompt and everything its page shows; provided by the prompt page. */
@Injectable()
export class PromptDetailStore {
  private readonly api = inject(PromptsApi);
  private readonly collaboration = inject(CollaborationApi);
  private readonly lookups = inject(LibraryLookups);
  private readonly destroyRef = inject(DestroyRef);

  readonly prompt = signal<Prompt | null>(null);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  readonly notFound = signal(false);

  readonly versions = signal<VersionSummary[]>([]);
  readonly versionsCursor = signal<string | null>(null);
  readonly labelHistory = signal<LabelMove[]>([]);
  readonly testCases = signal<TestCase[]>([]);
  readonly runs = signal<Record<string, TestCaseRun>>({});
  readonly comments = signal<Comment[]>([]);
  readonly activity = signal<ActivityEntry[]>([]);

  readonly permissions = computed(() => {
    const prompt = this.prompt();
    return promptPermissions(this.lookups.actor(), { authorId: prompt?.authorId ?? null });
  });

  load(id: string): void {
    this.loading.set(true);
    this.error.set(null);
    this.notFound.set(false);
    this.api
      .get(id, { silent: true })
      .pipe(this.untilDestroyed())
      .subscribe({
        next: (prompt) => {
          this.prompt.set(prompt);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.loading.set(false);
          if (statusOf(error) === 404) this.notFound.set(true);
          else this.error.set(describeError(error, 'The prompt could not be loaded'));
        },
      });
  }

  /** Re-reads the prompt after a change made elsewhere on the page (revert, label move). */
  refresh(): void {
    const id = this.prompt()?.id;
    if (!id) return;
    this.api
      .get(id, { silent: true })
      .pipe(this.untilDestroyed())
      .subscribe((prompt) => this.prompt.set(prompt));
  }

  toggleFavorite(): void {
    const prompt = this.prompt();
    if (!prompt) return;
    this.api
      .toggleFavorite(prompt.id)
      .pipe(this.untilDestroyed())
      .subscribe(({ favorited, favorites }) => {
        this.prompt.set({ ...prompt, favorited, stats: { ...prompt.stats, favorites } });
      });
  }

  loadVersions(more = false): void {
    const prompt = this.prompt();
    if (!prompt) return;
    this.api
      .versions(prompt.id, more ? this.versionsCursor() : null)
      .pipe(this.untilDestroyed())
      .subscribe((page) => {
        this.versions.update((list) => (more ? [...list, ...page.items] : page.items));
        this.versionsCursor.set(page.nextCursor ?? null);
      });
  }

  diff(from: number, to: number): Observable<PromptDiff> {
    return this.api.diff(this.requireId(), from, to);
  }

  /** One version's full snapshot (the versions tab compares their variables field by field). */
  version(version: number): Observable<VersionSnapshot> {
    return this.api.version(this.requireId(), version);
  }

  revert(version: number, changeNote?: string): Observable<Prompt> {
    return this.api.revert(this.requireId(), version, changeNote).pipe(
      tap((prompt) => {
        this.prompt.set(prompt);
        this.loadVersions();
      }),
    );
  }

  loadLabelHistory(): void {
    this.api
      .labelHistory(this.requireId())
      .pipe(this.untilDestroyed())
      .subscribe((page) => this.labelHistory.set(page.items));
  }

  moveLabel(label: string, version: number): Observable<unknown> {
    return this.api.moveLabel(this.requireId(), label, version).pipe(
      tap(() => {
        this.refresh();
        this.loadLabelHistory();
      }),
    );
  }

  loadTestCases(): void {
    this.api
      .testCases(this.requireId())
      .pipe(this.untilDestroyed())
      .subscribe((page) => this.testCases.set(page.items));
  }

  saveTestCase(input: TestCaseInput, existingId?: string): Observable<TestCase> {
    const id = this.requireId();
    const request = existingId
      ? this.api.updateTestCase(id, existingId, input)
      : this.api.createTestCase(id, input);
    return request.pipe(tap(() => this.loadTestCases()));
  }

  deleteTestCase(testCaseId: string): Observable<void> {
    return this.api
      .deleteTestCase(this.requireId(), testCaseId)
      .pipe(tap(() => this.testCases.update((list) => list.filter((t) => t.id !== testCaseId))));
  }

  /**
   * Runs some cases (or all) against the current version, a version or a release label, and
   * keeps each case's latest result with the version it ran on (and the label that chose it).
   */
  runTestCases(caseIds?: string[], target: RunTarget = {}): Observable<TestRun> {
    return this.api.runTestCases(this.requireId(), { caseIds, ...target }).pipe(
      tap((run) =>
        this.runs.update((runs) => {
          const next = { ...runs };
          for (const result of run.results) {
            next[result.caseId] = { ...result, version: run.version, label: target.label ?? null };
          }
          return next;
        }),
      ),
    );
  }

  loadComments(): void {
    this.collaboration
      .comments(this.requireId())
      .pipe(this.untilDestroyed())
      .subscribe((comments) => this.comments.set(comments));
  }

  addComment(content: string, parentId?: string | null): Observable<Comment> {
    return this.collaboration
      .addComment(this.requireId(), content, parentId)
      .pipe(tap((comment) => this.comments.update((list) => [...list, comment])));
  }

  deleteComment(id: string): Observable<void> {
    return this.collaboration.deleteComment(id).pipe(tap(() => this.loadComments()));
  }

  loadActivity(): void {
    this.collaboration
      .activity(this.requireId())
      .pipe(this.untilDestroyed())
      .subscribe((entries) => this.activity.set(entries));
  }

  /** Renders the prompt on the server with the given values (counts a use). */
  render(variables: Record<string, unknown>): Observable<RenderResult> {
    return this.api.render(this.requireId(), variables);
  }

  /** Copies the prompt; the copy is returned to open it. */
  duplicate(): Observable<Prompt> {
    return this.api.duplicate(this.requireId());
  }

  /** Deletes the prompt with its versions, labels, test cases and comments. */
  delete(): Observable<void> {
    return this.api.delete(this.requireId());
  }

  /** The store's own requests end when the page that provides it goes away. */
  private untilDestroyed<T>(): MonoTypeOperatorFunction<T> {
    return takeUntilDestroyed<T>(this.destroyRef);
  }

  private requireId(): string {
    const id = this.prompt()?.id;
    if (!id) throw new Error('No prompt loaded');
    return id;
  }
}
