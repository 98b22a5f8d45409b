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
