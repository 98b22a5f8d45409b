import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { PRODUCTION_LABEL } from '../../data/permissions';

export interface PromoteDialogData {
  versions: { version: number; title: string }[];
  version: number;
  labels: Record<string, number>;
  canMoveProduction: boolean;
  label?: string;
}

export interface PromoteResult {
  label: string;
  version: number;
}

/** The API's label rule (`render.dto.ts`). */
const LABEL_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const PRODUCTION_DENIED = 'Only owners and admins can move the production label.';

/** Picks a label (production, staging or a new one) and the version it should point at. */
@Component({
  selector: 'pv-promote-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButton,
    MatDialogActions,
    MatDialogClose,
    MatDialogContent,
    MatDialogTitle,
    MatError,
    MatFormField,
    MatHint,
    MatInput,
    MatLabel,
    MatOption,
    MatSelect,
  ],
  template: `
    <h2 mat-dialog-title>Promote a version</h2>
    <mat-dialog-content class="content">
      <mat-form-field>
        <mat-label>Version</mat-label>
        <mat-select [value]="version()" (valueChange)="version.set($event)">
          @for (v of data.versions; track v.version) {
            <mat-option [value]="v.version">v{{ v.version }} · {{ v.title }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Label</mat-label>
        <mat-select [value]="choice()" (valueChange)="choice.set($event)">
          @for (label of knownLabels(); track label) {
            <mat-option [value]="label" [disabled]="label === production && !data.canMoveProduction">
              {{ label }}{{ data.labels[label] !== undefined ? ' (now v' + data.labels[label] + ')' : '' }}
            </mat-option>
          }
          <mat-option value="__new__">New label…</mat-option>
        </mat-select>
        @if (!data.canMoveProduction) {
          <mat-hint>{{ denied }}</mat-hint>
        }
      </mat-form-field>
      @if (choice() === '__new__') {
        <mat-form-field>
          <mat-label>New label name</mat-label>
          <input matInput [value]="custom()" (input)="custom.set($any($event.target).value)" />
          @if (custom() && !customValid()) {
            <mat-error>Up to 40 lowercase letters, digits, “_” and “-”</mat-error>
          }
          <mat-hint>For example canary or eval</mat-hint>
        </mat-form-field>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" [disabled]="!valid()" (click)="promote()">Promote</button>
    </mat-dialog-actions>
  `,
  styles: `
    .content {
      display: grid;
      gap: 0.5rem;
      min-width: 22rem;
    }
  `,
})
export class PromoteDialog {
  protected readonly data = inject<PromoteDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<PromoteDialog, PromoteResult>>(MatDialogRef);

  protected readonly production = PRODUCTION_LABEL;
  protected readonly denied = PRODUCTION_DENIED;
  protected readonly version = signal(this.data.version);
  protected readonly choice = signal<string>(
    this.data.label ?? (this.data.canMoveProduction ? PRODUCTION_LABEL : 'staging'),
  );
  protected readonly custom = signal('');
  protected readonly knownLabels = computed(() => [
    ...new Set([PRODUCTION_LABEL, 'staging', ...Object.keys(this.data.labels)]),
  ]);
  protected readonly customValid = computed(() => LABEL_PATTERN.test(this.custom().trim()));
  private readonly label = computed(() =>
    this.choice() === '__new__' ? this.custom().trim() : this.choice(),
  );
  protected readonly valid = computed(() => {
    const label = this.label();
    if (this.choice() === '__new__' && !this.customValid()) return false;
    return !(label === PRODUCTION_LABEL && !this.data.canMoveProduction);
  });

  protected promote(): void {
    if (this.valid()) this.ref.close({ label: this.label(), version: this.version() });
  }
}
