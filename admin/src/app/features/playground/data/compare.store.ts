import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { diffOutputs } from './output-diff';
import { CompareEvent, PlaygroundApi, Run } from './playground.api';
import { describeRunFailure, RunFailure } from './playground-errors';
import { PlaygroundStore, RunPhase, SelectorValue, toSelector } from './playground.store';

export interface CompareDraft {
  selector: SelectorValue;
  model: string | null;
}

export interface CompareColumn {
  label: string;
  output: string;
  phase: RunPhase;
  run: Run | null;
  failure: RunFailure | null;
}

export const MIN_COMPARE = 2;
export const MAX_COMPARE = 4;

/**
 * The playground's comparison: 2–4 targets (a version or label × a model) of the open prompt run
 * on the same variables and settings, streaming into columns, and the word diff of two of them.
 * Reads the source, variables, models and keys from the page's `PlaygroundStore` and marks it
 * `comparing` while the comparison streams (no single run starts meanwhile). Provided by the page
 * after `PlaygroundStore`; the page clears it when the source changes.
 */
@Injectable()
export class CompareStore {
  private readonly api = inject(PlaygroundApi);
  private readonly source = inject(PlaygroundStore);

  readonly drafts = signal<CompareDraft[]>([]);
  readonly columns = signal<CompareColumn[]>([]);
  readonly phase = signal<'idle' | 'running' | 'done'>('idle');
  readonly failure = signal<RunFailure | null>(null);
  readonly diffPair = signal<[number, number]>([0, 1]);
  readonly canCompare = computed(
    () =>
      this.source.canRun() &&
      this.source.mode() === 'prompt' &&
      !!this.source.prompt.value() &&
      this.drafts().length >= MIN_COMPARE &&
      this.drafts().every((d) => !!d.model) &&
      this.source.missingRequired().length === 0 &&
      !this.source.running(),
  );
  /** The word diff of the two chosen columns, once nothing streams into them any more. */
  readonly diff = computed(() => {
    if (this.phase() !== 'done') return null;
    const [a, b] = this.diffPair();
    const columns = this.columns();
    if (!columns[a] || !columns[b] || a === b) return null;
    return {
      from: columns[a].label,
      to: columns[b].label,
      hunks: diffOutputs(columns[a].output, columns[b].output),
    };
  });
  private controller: AbortController | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.controller?.abort());
  }

  /** Starts a comparison with two columns: the chosen version on the chosen model, twice. */
  start(): void {
    if (this.drafts().length > 0) return;
    const draft = { selector: this.source.selector(), model: this.source.model() };
    this.drafts.set([draft, { ...draft }]);
  }

  addTarget(): void {
    const drafts = this.drafts();
    if (drafts.length >= MAX_COMPARE) return;
    this.drafts.set([...drafts, { ...(drafts[drafts.length - 1] ?? { selector: 'current', model: null }) }]);
  }

  removeTarget(index: number): void {
    if (this.drafts().length <= MIN_COMPARE) return;
    this.drafts.update((drafts) => drafts.filter((_, i) => i !== index));
  }

  updateTarget(index: number, change: Partial<CompareDraft>): void {
    this.drafts.update((drafts) => drafts.map((d, i) => (i === index ? { ...d, ...change } : d)));
  }

  /** Forgets the columns of another source (and, with `targets`, the chosen targets too). */
  clear({ targets }: { targets: boolean }): void {
    if (targets) this.drafts.set([]);
    this.columns.set([]);
    this.phase.set('idle');
  }

  close(): void {
    this.controller?.abort();
    this.clear({ targets: true });
    this.failure.set(null);
  }

  /** Stops the comparison in flight; the server cancels the provider calls and stores them as canceled. */
  stop(): void {
    this.controller?.abort();
  }

  labelOf(draft: CompareDraft): string {
    const selector = toSelector(draft.selector);
    const version =
      selector.version !== undefined
        ? `v${selector.version}`
        : (selector.label ?? `v${this.source.prompt.value()?.version ?? ''}`);
    const model = this.source.models.value()?.find((m) => m.id === draft.model)?.name ?? draft.model ?? '';
    return `${version} · ${model}`;
  }

  async compare(): Promise<void> {
    const prompt = this.source.prompt.value();
    if (!this.canCompare() || !prompt) return;
    const drafts = this.drafts();
    const controller = new AbortController();
    this.controller = controller;
    this.failure.set(null);
    this.phase.set('running');
    this.source.comparing.set(true);
    this.diffPair.set([0, 1]);
    this.columns.set(
      drafts.map((d) => ({ label: this.labelOf(d), output: '', phase: 'running', run: null, failure: null })),
    );
    const column = (index: number, change: (c: CompareColumn) => Partial<CompareColumn>) =>
      this.columns.update((columns) => columns.map((c, i) => (i === index ? { ...c, ...change(c) } : c)));
    const onEvent = (event: CompareEvent) => {
      if (event.type === 'end') return;
      if (event.type === 'delta') column(event.target, (c) => ({ output: c.output + event.text }));
      else if (event.type === 'done')
        column(event.target, (c) => ({
          run: event.run,
          output: event.run.output || c.output,
          phase: event.run.status === 'canceled' ? 'canceled' : 'done',
        }));
      else column(event.target, () => ({ phase: 'error', failure: describeRunFailure(event.problem) }));
    };
    try {
      const { variables, settings } = this.source.runInput();
      await this.api.compare(
        prompt.id,
        {
          variables,
          settings,
          targets: drafts.map((d) => {
            const key = this.source.keyFor(d.model);
            return {
              ...toSelector(d.selector),
              model: d.model as string,
              ...(key ? { providerKeyId: key } : {}),
            };
          }),
        },
        controller.signal,
        onEvent,
      );
    } catch (error) {
      if (!controller.signal.aborted) this.failure.set(describeRunFailure(error));
    } finally {
      const stopped: RunPhase = controller.signal.aborted ? 'canceled' : 'error';
      this.columns.update((columns) =>
        columns.map((c) => (c.phase === 'running' ? { ...c, phase: stopped } : c)),
      );
      this.phase.set('done');
      this.source.comparing.set(false);
      if (this.controller === controller) this.controller = null;
      this.source.recentRuns.reload();
    }
  }
}
