import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { map } from 'rxjs';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
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

const NEW_LABEL = '__new__';

/** Picks a label (production, staging or a new one) and the version it should point at. */
@Component({
  selector: 'pv-promote-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatButton,
    MatDialogClose,
    MatError,
    MatFormField,
    MatHint,
    MatInput,
    MatLabel,
    MatOption,
    MatSelect,
  ],
  templateUrl: './promote-dialog.html',
  styleUrl: './promote-dialog.scss',
})
export class PromoteDialog {
  protected readonly data = inject<PromoteDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<PromoteDialog, PromoteResult>>(MatDialogRef);

  protected readonly production = PRODUCTION_LABEL;
  protected readonly denied = PRODUCTION_DENIED;
  protected readonly newLabel = NEW_LABEL;
  protected readonly form = new FormGroup({
    version: new FormControl(this.data.version, { nonNullable: true }),
    choice: new FormControl(this.data.label ?? (this.data.canMoveProduction ? PRODUCTION_LABEL : 'staging'), {
      nonNullable: true,
    }),
    custom: new FormControl('', { nonNullable: true, validators: [Validators.pattern(LABEL_PATTERN)] }),
  });
  /** The form's value as a signal, so the label and the button follow every choice. */
  protected readonly value = toSignal(this.form.valueChanges.pipe(map(() => this.form.getRawValue())), {
    initialValue: this.form.getRawValue(),
  });
  protected readonly knownLabels = computed(() => [
    ...new Set([PRODUCTION_LABEL, 'staging', ...Object.keys(this.data.labels)]),
  ]);
  private readonly label = computed(() => {
    const { choice, custom } = this.value();
    return choice === NEW_LABEL ? custom.trim() : choice;
  });
  protected readonly valid = computed(() => {
    const label = this.label();
    if (this.value().choice === NEW_LABEL && !LABEL_PATTERN.test(label)) return false;
    return !(label === PRODUCTION_LABEL && !this.data.canMoveProduction);
  });

  protected promote(): void {
    if (this.valid()) this.ref.close({ label: this.label(), version: this.form.controls.version.value });
  }
}
