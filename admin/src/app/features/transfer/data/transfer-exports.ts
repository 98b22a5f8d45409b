import { computed, inject, Injectable } from '@angular/core';
import { MatDialog, MatDialogRef } from '@angular/material/dialog';
import { SessionStore } from '../../../core/session/session.store';
import { ExportDialog } from '../components/export-dialog/export-dialog';
import { ExportScope } from './export-scope';

export type { ExportScope } from './export-scope';

/**
 * Export actions for the library's selection, a collection and search results: whether the
 * caller may export (OWNER/ADMIN, EDITOR/VIEWER while `membersMayExport` allows it; pages hide
 * the action otherwise) and the export dialog for a scope.
 */
@Injectable({ providedIn: 'root' })
export class TransferExports {
  private readonly dialog = inject(MatDialog);
  private readonly session = inject(SessionStore);

  readonly canExport = computed(() => this.session.ability().can('export', 'Data'));

  open(scope: ExportScope): MatDialogRef<ExportDialog> {
    return this.dialog.open<ExportDialog, ExportScope>(ExportDialog, { data: scope, width: '34rem' });
  }
}
