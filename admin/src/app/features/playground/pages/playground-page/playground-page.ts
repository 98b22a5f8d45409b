import { Clipboard } from '@angular/cdk/clipboard';
import { DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  inject,
  Injector,
  input,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOptgroup, MatOption, MatSelect } from '@angular/material/select';
import { MatSlider, MatSliderThumb } from '@angular/material/slider';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { filter } from 'rxjs';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { CodeEditor } from '../../../library/components/code-editor/code-editor';
import { providerInfo } from '../../../provider-keys/data/providers';
import { registerProviderKeyIcons } from '../../../provider-keys/provider-icons';
import { CompareView } from '../../components/compare-view/compare-view';
import { RecentRuns } from '../../components/recent-runs/recent-runs';
import { RunStats } from '../../components/run-stats/run-stats';
import { SaveTestCaseDialog } from '../../components/save-test-case-dialog/save-test-case-dialog';
import { VariablesForm } from '../../components/variables-form/variables-form';
import { Model } from '../../data/playground.api';
import { CompareStore } from '../../data/compare.store';
import { PlaygroundStore, SelectorValue, SourceMode } from '../../data/playground.store';
import { registerPlaygroundIcons } from '../../playground-icons';

/**
 * The playground: run a saved prompt (at a version or label) or scratch content on a model with
 * the organization's own provider key, watch the output stream in, stop it, see tokens, cost and
 * latency; compare 2–4 version × model targets; the prompt's recent runs. Opened from a prompt
 * page as `/playground?prompt=<id>` (optionally `&version=<n>` or `&label=<name>`).
 */
@Component({
  selector: 'pv-playground-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DecimalPipe,
    ReactiveFormsModule,
    RouterLink,
    MatButton,
    MatButtonToggle,
    MatButtonToggleGroup,
    MatFormField,
    MatHint,
    MatLabel,
    MatIcon,
    MatInput,
    MatOptgroup,
    MatOption,
    MatProgressBar,
    MatSelect,
    MatSlider,
    MatSliderThumb,
    EmptyState,
    CodeEditor,
    VariablesForm,
    RunStats,
    CompareView,
    RecentRuns,
  ],
  providers: [PlaygroundStore, CompareStore],
  templateUrl: './playground-page.html',
  styleUrl: './playground-page.scss',
  host: {
    '(keydown.control.enter)': 'runShortcut($event)',
    '(keydown.meta.enter)': 'runShortcut($event)',
  },
})
export class PlaygroundPage {
  protected readonly store = inject(PlaygroundStore);
  protected readonly compare = inject(CompareStore);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  /** Query parameters (`?prompt=…&version=…` or `&label=…`). */
  readonly prompt = input<string>();
  readonly version = input<string>();
  readonly label = input<string>();

  protected readonly providerInfo = providerInfo;
  protected readonly scratchPlaceholder = 'Write a prompt; {{placeholders}} become required variables.';
  protected readonly setup = new FormGroup({
    mode: new FormControl<SourceMode>('prompt', { nonNullable: true }),
    promptId: new FormControl<string | null>(null),
    selector: new FormControl<SelectorValue>('current', { nonNullable: true }),
    model: new FormControl<string | null>(null),
    temperature: new FormControl<number | null>(null),
    maxTokens: new FormControl<number | null>(null),
    providerKeyId: new FormControl<string | null>(null),
  });

  constructor() {
    registerProviderKeyIcons();
    registerPlaygroundIcons();
    const controls = this.setup.controls;
    const follow = <T>(control: FormControl<T>, apply: (value: T) => void) =>
      control.valueChanges.pipe(takeUntilDestroyed()).subscribe(apply);
    follow(controls.mode, (mode) => {
      if (mode !== this.store.mode()) this.compare.clear({ targets: true });
      this.store.setMode(mode);
    });
    follow(controls.promptId, (id) => {
      controls.selector.setValue('current', { emitEvent: false });
      this.store.choosePrompt(id);
      this.compare.clear({ targets: false });
    });
    follow(controls.selector, (selector) => this.store.selector.set(selector));
    follow(controls.model, (model) => this.store.chooseModel(model));
    follow(controls.temperature, (value) => this.store.temperature.set(value));
    follow(controls.maxTokens, (value) =>
      this.store.maxTokens.set(typeof value === 'number' && value >= 1 ? Math.floor(value) : null),
    );
    follow(controls.providerKeyId, (id) => this.store.providerKeyId.set(id));

    // Opened with `?prompt=`: that prompt, at the version or label asked for.
    effect(() => {
      const id = this.prompt();
      if (!id) return;
      const selector = this.version()
        ? `v:${this.version()}`
        : this.label()
          ? `l:${this.label()}`
          : 'current';
      untracked(() => {
        this.setup.patchValue({ mode: 'prompt', promptId: id, selector }, { emitEvent: false });
        this.store.choosePrompt(id, selector);
        this.compare.clear({ targets: false });
      });
    });
    // A loaded prompt's metadata fills the model and settings the member has not chosen.
    effect(() => {
      if (!this.store.prompt.value() || !this.store.models.value()) return;
      untracked(() => {
        this.store.applyPromptDefaults();
        this.setup.patchValue(
          {
            model: this.store.model(),
            temperature: this.store.temperature(),
            maxTokens: this.store.maxTokens(),
          },
          { emitEvent: false },
        );
      });
    });
    // The version can be chosen once the prompt is open.
    effect(() => {
      const open = !!this.store.prompt.value();
      const control = this.setup.controls.selector;
      untracked(() => (open ? control.enable({ emitEvent: false }) : control.disable({ emitEvent: false })));
    });
    // A key of another provider is dropped when the model changes.
    effect(() => {
      const id = this.store.providerKeyId();
      untracked(() => this.setup.controls.providerKeyId.setValue(id, { emitEvent: false }));
    });
  }

  protected modelLabel(model: Model): string {
    const context =
      model.contextWindow >= 1000 ? `${Math.round(model.contextWindow / 1000)}k` : model.contextWindow;
    return `${context} context · $${model.inputPerMTokUsd} in / $${model.outputPerMTokUsd} out per 1M tokens`;
  }

  protected setScratch(content: string): void {
    this.store.scratch.set(content);
  }

  protected resetTemperature(): void {
    this.setup.controls.temperature.setValue(null);
  }

  protected runShortcut(event: Event): void {
    event.preventDefault();
    if (this.store.canSubmit()) void this.store.run();
  }

  protected run(): void {
    void this.store.run();
  }

  protected copyOutput(): void {
    const copied = this.clipboard.copy(this.store.output());
    this.snackBar.open(copied ? 'Output copied' : 'Copying failed', undefined, { duration: 3000 });
  }

  protected saveTestCase(): void {
    this.dialog
      .open(SaveTestCaseDialog, { width: '30rem', injector: this.injector })
      .afterClosed()
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => this.snackBar.open('Test case saved', undefined, { duration: 3000 }));
  }
}
