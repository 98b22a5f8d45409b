import { ChangeDetectionStrategy, Component, computed, effect, model, signal } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { Assertion, AssertionType } from '../../data/test-runs.api';

/** What each type asks for, in the form's words. */
export const ASSERTION_LABELS: Record<AssertionType, string> = {
  contains: 'Contains',
  not_contains: 'Does not contain',
  regex: 'Matches regex',
  valid_json: 'Is valid JSON',
  json_schema: 'Matches JSON schema',
  max_length: 'At most N characters',
  evaluator_min: 'Evaluator score at least',
};
export const ASSERTION_TYPES = Object.keys(ASSERTION_LABELS) as AssertionType[];

/** One row of the editor: the type and the raw text of its member(s). */
export interface AssertionRow {
  type: AssertionType;
  text: string;
  flags: string;
}

export function toRow(a: Assertion): AssertionRow {
  switch (a.type) {
    case 'contains':
    case 'not_contains':
      return { type: a.type, text: a.value ?? '', flags: '' };
    case 'regex':
      return { type: a.type, text: a.pattern ?? '', flags: a.flags ?? '' };
    case 'json_schema':
      return { type: a.type, text: JSON.stringify(a.schema ?? {}, null, 2), flags: '' };
    case 'max_length':
      return { type: a.type, text: String(a.max ?? ''), flags: '' };
    case 'evaluator_min':
      return { type: a.type, text: String(a.min ?? ''), flags: '' };
    default:
      return { type: a.type, text: '', flags: '' };
  }
}

/** The assertion a row stands for, or why it cannot be saved yet. */
export function fromRow(row: AssertionRow): { assertion: Assertion } | { problem: string } {
  const text = row.text.trim();
  switch (row.type) {
    case 'contains':
    case 'not_contains':
      return row.text ? { assertion: { type: row.type, value: row.text } } : { problem: 'Enter the text' };
    case 'regex':
      if (!text) return { problem: 'Enter a pattern' };
      try {
        new RegExp(text, row.flags);
      } catch {
        return { problem: 'Not a valid regular expression' };
      }
      return { assertion: { type: 'regex', pattern: text, ...(row.flags ? { flags: row.flags } : {}) } };
    case 'valid_json':
      return { assertion: { type: 'valid_json' } };
    case 'json_schema': {
      try {
        const schema: unknown = JSON.parse(text);
        if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
          return { problem: 'The schema must be a JSON object' };
        return { assertion: { type: 'json_schema', schema: schema as Record<string, never> } };
      } catch {
        return { problem: 'The schema is not valid JSON' };
      }
    }
    case 'max_length': {
      const max = Number(text);
      return Number.isInteger(max) && max >= 1
        ? { assertion: { type: 'max_length', max } }
        : { problem: 'Enter a whole number of characters' };
    }
    case 'evaluator_min': {
      const min = Number(text);
      return text && min >= 1 && min <= 5
        ? { assertion: { type: 'evaluator_min', min } }
        : { problem: 'Enter a score from 1 to 5' };
    }
  }
}

/**
 * Edits a test case's assertions: a row per check with the fields its type takes. `assertions`
 * holds the rows that are complete; `invalid` is true while a row cannot be saved (the test case
 * form keeps Save disabled then). The server checks again (unsafe regexes, schemas it cannot compile).
 */
@Component({
  selector: 'pv-assertions-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatTooltip,
    MatButton,
    MatFormField,
    MatHint,
    MatIcon,
    MatIconButton,
    MatInput,
    MatLabel,
    MatOption,
    MatSelect,
  ],
  templateUrl: './assertions-editor.html',
  styleUrl: './assertions-editor.scss',
})
export class AssertionsEditor {
  readonly assertions = model<Assertion[]>([]);
  protected readonly types = ASSERTION_TYPES;
  protected readonly labels = ASSERTION_LABELS;
  protected readonly rows = signal<AssertionRow[]>([]);
  protected readonly checked = computed(() => this.rows().map(fromRow));
  readonly invalid = computed(() => this.checked().some((c) => 'problem' in c));
  private emitted: Assertion[] | null = null;

  constructor() {
    // Rows follow the value set from outside (opening the form on a case), not our own emissions.
    effect(() => {
      const value = this.assertions();
      if (value !== this.emitted) this.rows.set(value.map(toRow));
    });
  }

  protected problem(index: number): string | null {
    const c = this.checked()[index];
    return c && 'problem' in c ? c.problem : null;
  }

  protected add(): void {
    this.update([...this.rows(), { type: 'contains', text: '', flags: '' }]);
  }

  protected remove(index: number): void {
    this.update(this.rows().filter((_, i) => i !== index));
  }

  protected change(index: number, patch: Partial<AssertionRow>): void {
    this.update(this.rows().map((row, i) => (i === index ? { ...row, ...patch } : row)));
  }

  protected inputValue(event: Event): string {
    return (event.target as HTMLInputElement | HTMLTextAreaElement).value;
  }

  private update(rows: AssertionRow[]): void {
    this.rows.set(rows);
    const complete = this.checked().flatMap((c) => ('assertion' in c ? [c.assertion] : []));
    this.emitted = complete;
    this.assertions.set(complete);
  }
}
