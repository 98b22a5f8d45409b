import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import {
  catchError,
  debounceTime,
  distinctUntilChanged,
  firstValueFrom,
  map,
  of,
  startWith,
  switchMap,
} from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import type { PromptVariable, TestCase } from '../../library/data/library.types';
import { PromptsApi } from '../../library/data/prompts.api';
import { coerceValues, syncVariables, VariableValues } from '../../library/data/variables';
import { ProviderKeysApi } from '../../provider-keys/data/provider-keys.api';
import {
  Estimate,
  Model,
  ModelProvider,
  PlaygroundApi,
  Run,
  RunEvent,
  RunSettings,
  VersionSelector,
} from './playground.api';
import { describeRunFailure, RunFailure } from './playground-errors';

export type SourceMode = 'prompt' | 'scratch';
export type RunPhase = 'idle' | 'running' | 'done' | 'error' | 'canceled';

/** `current`, `v:<number>` or `l:<label>`: what a version select holds. */
export type SelectorValue = string;

export type EstimateState =
  | { state: 'idle'; reason: string }
  | { state: 'loading' }
  | { state: 'ready'; estimate: Estimate }
  | { state: 'error'; message: string };

const ESTIMATE_DEBOUNCE_MS = 400;

export function toSelector(value: SelectorValue): VersionSelector {
  if (value.startsWith('v:')) return { version: Number(value.slice(2)) };
  if (value.startsWith('l:')) return { label: value.slice(2) };
  return {};
}

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

/**
 * The playground page's state: the source (a saved prompt at a version or label, or scratch
 * content), its variables, model, settings and key, the debounced cost preview, one streaming run
 * with Stop, and the recent runs. Provided by the page; the comparison of 2–4 targets is
 * `CompareStore`'s.
 */
@Injectable()
export class PlaygroundStore {
  private readonly api = inject(PlaygroundApi);
  private readonly prompts = inject(PromptsApi);
  private readonly keysApi = inject(ProviderKeysApi);
  private readonly session = inject(SessionStore);

  /** EDITOR and above run prompts (the API's `create Run`). */
  readonly canRun = computed(() => this.session.can('create', 'Run'));
  readonly canReadKeys = computed(() => this.session.can('read', 'ProviderKey'));
  private readonly organization = computed(() => this.session.organizationId() ?? undefined);

  // ---- Catalogue, keys, prompts --------------------------------------------------------------
  readonly models = rxResource({ params: () => this.organization(), stream: () => this.api.models() });
  readonly modelGroups = computed(() => {
    const groups = new Map<ModelProvider, Model[]>();
    for (const model of this.models.value() ?? []) {
      groups.set(model.provider, [...(groups.get(model.provider) ?? []), model]);
    }
    return [...groups.entries()].map(([provider, models]) => ({ provider, models }));
  });
  readonly keys = rxResource({
    params: () => (this.canReadKeys() ? this.organization() : undefined),
    stream: () => this.keysApi.list(),
  });
  readonly promptList = rxResource({
    params: () => (this.mode() === 'prompt' ? this.organization() : undefined),
    stream: () => this.api.prompts().pipe(map((page) => page.items)),
  });

  // ---- Source -------------------------------------------------------------------------------
  readonly mode = signal<SourceMode>('prompt');
  readonly promptId = signal<string | null>(null);
  readonly selector = signal<SelectorValue>('current');
  readonly scratch = signal('');

  readonly prompt = rxResource({
    params: () => (this.mode() === 'prompt' ? (this.promptId() ?? undefined) : undefined),
    stream: ({ params }) => this.prompts.get(params, { silent: true }),
  });
  readonly versions = rxResource({
    params: () => (this.mode() === 'prompt' ? (this.promptId() ?? undefined) : undefined),
    stream: ({ params }) => this.prompts.versions(params).pipe(map((page) => page.items)),
  });
  /** The picker's prompts: the recent ones, and the open prompt when it is older than those. */
  readonly promptOptions = computed(() => {
    const list = this.promptList.value() ?? [];
    const open = this.prompt.value();
    return open && !list.some((p) => p.id === open.id) ? [open, ...list] : list;
  });
  readonly labels = computed(() => Object.entries(this.prompt.value()?.labels ?? {}));

  /** The version the selector names (null while the prompt loads or for an unknown label). */
  readonly resolvedVersion = computed<number | null>(() => {
    const prompt = this.prompt.value();
    if (!prompt) return null;
    const selector = toSelector(this.selector());
    if (selector.version !== undefined) return selector.version;
    if (selector.label !== undefined) return prompt.labels[selector.label] ?? null;
    return prompt.version;
  });
  /** An older version's own variables (they may differ from the current ones). */
  private readonly snapshot = rxResource({
    params: () => {
      const prompt = this.prompt.value();
      const version = this.resolvedVersion();
      return prompt && version !== null && version !== prompt.version
        ? { id: prompt.id, version }
        : undefined;
    },
    stream: ({ params }) => this.prompts.version(params.id, params.version),
  });

  readonly variables = computed<PromptVariable[]>(() => {
    if (this.mode() === 'scratch') return syncVariables(this.scratch(), []).variables;
    return this.snapshot.value()?.variables ?? this.prompt.value()?.variables ?? [];
  });
  /** What the member typed; `values` adds the unchecked state of checkboxes never touched. */
  readonly typedValues = signal<VariableValues>({});
  readonly values = computed<VariableValues>(() => {
    const checkboxes = this.variables()
      .filter((v) => v.type === 'boolean')
      .map((v) => [v.name, v.defaultValue === true] as const);
    return { ...Object.fromEntries(checkboxes), ...this.typedValues() };
  });
  readonly missingRequired = computed(() => {
    const values = this.values();
    return this.variables()
      .filter((v) => v.required && isBlank(values[v.name]) && isBlank(v.defaultValue))
      .map((v) => v.name);
  });
  private readonly coercedValues = computed(() => coerceValues(this.variables(), this.values()));
  readonly sourceReady = computed(() =>
    this.mode() === 'scratch' ? this.scratch().trim().length > 0 : !!this.prompt.value(),
  );

  // ---- Model, settings, key -----------------------------------------------------------------
  readonly model = signal<string | null>(null);
  readonly temperature = signal<number | null>(null);
  readonly maxTokens = signal<number | null>(null);
  readonly providerKeyId = signal<string | null>(null);

  readonly selectedModel = computed(() => this.models.value()?.find((m) => m.id === this.model()) ?? null);
  readonly keysForModel = computed(() => {
    const provider = this.selectedModel()?.provider;
    return provider ? (this.keys.value() ?? []).filter((k) => k.provider === provider) : [];
  });
  /** The model's provider has no key the member can see (an "Add a key" link instead of a chooser). */
  readonly keyMissing = computed(
    () =>
      this.canReadKeys() && !!this.selectedModel() && !!this.keys.value() && this.keysForModel().length === 0,
  );
  private readonly settings = computed<RunSettings | undefined>(() => {
    const settings: RunSettings = {};
    if (this.temperature() !== null) settings.temperature = this.temperature() as number;
    if (this.maxTokens() !== null) settings.maxTokens = this.maxTokens() as number;
    return Object.keys(settings).length ? settings : undefined;
  });
  private readonly chosenKey = computed(() => {
    const id = this.providerKeyId();
    return id && this.keysForModel().some((k) => k.id === id) ? id : undefined;
  });

  // ---- Run ----------------------------------------------------------------------------------
  readonly phase = signal<RunPhase>('idle');
  readonly output = signal('');
  readonly lastRun = signal<Run | null>(null);
  readonly failure = signal<RunFailure | null>(null);
  private controller: AbortController | null = null;

  /** Set by `CompareStore` while a comparison streams. */
  readonly comparing = signal(false);
  readonly running = computed(() => this.phase() === 'running' || this.comparing());
  readonly canSubmit = computed(
    () =>
      this.canRun() &&
      this.sourceReady() &&
      !!this.model() &&
      this.missingRequired().length === 0 &&
      !this.running(),
  );

  // ---- Estimate (saved prompts only: the server counts the rendered prompt) -----------------
  private readonly estimateRequest = computed(() => {
    const prompt = this.prompt.value();
    const model = this.model();
    if (this.mode() !== 'prompt' || !prompt || !model || !this.selectedModel()) return null;
    if (this.missingRequired().length > 0) return null;
    return {
      id: prompt.id,
      body: { ...toSelector(this.selector()), variables: this.coercedValues(), model },
    };
  });
  readonly estimate = signal<EstimateState>({ state: 'idle', reason: '' });

  // ---- Recent runs --------------------------------------------------------------------------
  readonly recentRuns = rxResource({
    params: () =>
      this.canRun() && this.organization()
        ? { org: this.organization(), promptId: this.mode() === 'prompt' ? this.promptId() : null }
        : undefined,
    stream: ({ params }) => this.api.runs(params.promptId).pipe(map((page) => page.items)),
  });

  constructor() {
    toObservable(this.estimateRequest)
      .pipe(
        map((request) => (request ? JSON.stringify(request) : null)),
        distinctUntilChanged(),
        debounceTime(ESTIMATE_DEBOUNCE_MS),
        switchMap((key) => {
          const request = this.estimateRequest();
          if (!key || !request) return of(this.idleEstimate());
          return this.api.estimate(request.id, request.body).pipe(
            map((estimate): EstimateState => ({ state: 'ready', estimate })),
            catchError((error: unknown) =>
              of<EstimateState>({ state: 'error', message: describeRunFailure(error).message }),
            ),
            startWith<EstimateState>({ state: 'loading' }),
          );
        }),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((state) => this.estimate.set(state));
    inject(DestroyRef).onDestroy(() => this.controller?.abort());
  }

  private idleEstimate(): EstimateState {
    if (this.mode() === 'scratch')
      return { state: 'idle', reason: 'Save the prompt to see an estimate before running.' };
    if (!this.prompt.value()) return { state: 'idle', reason: 'Choose a prompt.' };
    if (!this.model()) return { state: 'idle', reason: 'Choose a model.' };
    return { state: 'idle', reason: 'Fill in the required variables to see an estimate.' };
  }

  // ---- Source changes -----------------------------------------------------------------------
  setMode(mode: SourceMode): void {
    if (mode === this.mode()) return;
    this.mode.set(mode);
  }

  /** Opens a saved prompt (at a version or label) and takes its model settings as the defaults. */
  choosePrompt(id: string | null, selector: SelectorValue = 'current'): void {
    this.mode.set('prompt');
    this.promptId.set(id);
    this.selector.set(selector);
  }

  /** The prompt's metadata (model, temperature, max tokens) fills what the member has not chosen. */
  applyPromptDefaults(): void {
    const metadata = this.prompt.value()?.metadata ?? {};
    const models = this.models.value() ?? [];
    if (!this.model() && metadata.model && models.some((m) => m.id === metadata.model))
      this.model.set(metadata.model);
    if (this.temperature() === null && metadata.temperature !== undefined)
      this.temperature.set(metadata.temperature);
    if (this.maxTokens() === null && metadata.maxTokens !== undefined) this.maxTokens.set(metadata.maxTokens);
  }

  chooseModel(id: string | null): void {
    this.model.set(id);
    if (!this.chosenKey()) this.providerKeyId.set(null);
  }

  // ---- Running ------------------------------------------------------------------------------
  /** Runs the source on the model, streaming the output; resolves when the run has ended. */
  async run(): Promise<void> {
    if (!this.canSubmit()) return;
    const controller = new AbortController();
    this.controller = controller;
    this.phase.set('running');
    this.output.set('');
    this.lastRun.set(null);
    this.failure.set(null);
    const onEvent = (event: RunEvent) => {
      if (event.type === 'delta') this.output.update((text) => text + event.text);
      else if (event.type === 'done') {
        this.lastRun.set(event.run);
        if (event.run.output) this.output.set(event.run.output);
        this.phase.set(event.run.status === 'canceled' ? 'canceled' : 'done');
      } else this.fail(event.problem);
    };
    const common = {
      ...this.runInput(),
      model: this.model() as string,
      providerKeyId: this.chosenKey(),
    };
    try {
      const prompt = this.prompt.value();
      if (this.mode() === 'prompt' && prompt) {
        await this.api.runPrompt(
          prompt.id,
          { ...common, ...toSelector(this.selector()) },
          controller.signal,
          onEvent,
        );
      } else {
        await this.api.runContent({ ...common, content: this.scratch() }, controller.signal, onEvent);
      }
      if (this.phase() === 'running') this.fail(new Error('The answer ended before the run finished.'));
    } catch (error) {
      if (controller.signal.aborted) this.phase.set('canceled');
      else this.fail(error);
    } finally {
      if (this.controller === controller) this.controller = null;
      this.recentRuns.reload();
    }
  }

  /** Stops the run in flight; the server cancels the provider call and stores it as canceled. */
  stop(): void {
    this.controller?.abort();
  }

  /** The typed variables and the chosen settings, as a run (or each target of a comparison) sends them. */
  runInput(): { variables: Record<string, unknown>; settings: RunSettings | undefined } {
    return { variables: this.coercedValues(), settings: this.settings() };
  }

  private fail(error: unknown): void {
    const failure =
      error instanceof Error && !('problem' in error) && !('status' in error)
        ? { ...describeRunFailure(null), message: error.message }
        : describeRunFailure(error);
    this.failure.set(failure);
    this.phase.set('error');
  }

  /** The chosen key when it fits the model's provider (the server's default otherwise). */
  keyFor(modelId: string | null): string | undefined {
    const chosen = this.chosenKey();
    const provider = this.models.value()?.find((m) => m.id === modelId)?.provider;
    return chosen && this.keys.value()?.find((k) => k.id === chosen)?.provider === provider
      ? chosen
      : undefined;
  }

  // ---- Test cases ---------------------------------------------------------------------------
  /** Saves the current variables as a test case of the prompt (the library's test cases). */
  saveTestCase(name: string): Promise<TestCase> {
    const prompt = this.prompt.value();
    if (!prompt) return Promise.reject(new Error('No prompt'));
    return firstValueFrom(this.prompts.createTestCase(prompt.id, { name, variables: this.coercedValues() }));
  }
}
