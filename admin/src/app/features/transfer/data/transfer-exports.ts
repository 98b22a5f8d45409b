import { computed, inject, Injectable } from '@angular/core';
import { MatDialog, MatDialogRef } from '@angular/material/dialog';
import { SessionStore } from '../../../core/session/session.store';
import { ExportDialog } from '../components/export-dialog/export-dialog';
import { CreateExportRequest } from './transfer.api';

/** What an export started outside the Import/Export page covers. */
export type ExportScope =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'collection'; collectionId: string; name: string }
  | {
      kind: 'search';
      query: string;
      filters: NonNullable<CreateExportRequest['filters']>;
      /** How the page describes the search (e.g. “summarize” · tag faq). */
      summary: string;
    };

/** The request body's scope fields for a scope (the format is chosen in the dialog). */
export function scopeRequest(scope: ExportScope): Omit<CreateExportRequest, 'format'> {
  switch (scope.kind) {
    case 'ids':
      return { ids: scope.ids };
    case 'collection':
      return { collectionId: scope.collectionId };
    case 'search': {
      const query = scope.query.trim();
      const filters = Object.keys(scope.filters).length ? scope.filters : undefined;
      return { ...(query ? { query } : {}), ...(filters ? { filters } : {}) };
    }
  }
}

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
