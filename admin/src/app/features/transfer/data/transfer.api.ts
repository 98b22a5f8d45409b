import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];
export type ImportView = Schemas['ImportResponseDto'];
export type ImportPreviewRow = Schemas['ImportPreviewRowDto'];
export type ImportAccepted = Schemas['ImportAcceptedDto'];
export type CommitImportRequest = Schemas['CommitImportDto'];
export type DuplicateStrategy = CommitImportRequest['onDuplicate'];
export type ExportView = Schemas['ExportResponseDto'];
export type ExportPage = Schemas['ExportPageDto'];
export type CreateExportRequest = Schemas['CreateExportDto'];
export type ExportFormat = CreateExportRequest['format'];

/** Calls whose failure the page reports inline, next to what failed. */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

/** Bulk import and export (API-CONTRACT.md "Import and export"). */
@Injectable({ providedIn: 'root' })
export class TransferApi {
  private readonly http = inject(HttpClient);

  upload(file: File, format?: string): Observable<ImportAccepted> {
    const body = new FormData();
    if (format) body.append('format', format);
    body.append('file', file, file.name);
    return this.http.post<ImportAccepted>(`${API_BASE}/imports`, body, inline());
  }

  getImport(id: string): Observable<ImportView> {
    return this.http.get<ImportView>(`${API_BASE}/imports/${encodeURIComponent(id)}`, inline());
  }

  commit(id: string, body: CommitImportRequest): Observable<ImportAccepted> {
    return this.http.post<ImportAccepted>(
      `${API_BASE}/imports/${encodeURIComponent(id)}/commit`,
      body,
      inline(),
    );
  }

  /** The import's error file (CSV). */
  errors(id: string): Observable<Blob> {
    return this.http.get(`${API_BASE}/imports/${encodeURIComponent(id)}/errors`, {
      responseType: 'blob',
      ...inline(),
    });
  }

  createExport(body: CreateExportRequest): Observable<ExportView> {
    return this.http.post<ExportView>(`${API_BASE}/exports`, body, inline());
  }

  getExport(id: string): Observable<ExportView> {
    return this.http.get<ExportView>(`${API_BASE}/exports/${encodeURIComponent(id)}`, inline());
  }

  listExports(cursor?: string): Observable<ExportPage> {
    let params = new HttpParams().set('limit', 20);
    if (cursor) params = params.set('cursor', cursor);
    return this.http.get<ExportPage>(`${API_BASE}/exports`, { params });
  }

  download(id: string): Observable<Blob> {
    return this.http.get(`${API_BASE}/exports/${encodeURIComponent(id)}/download`, {
      responseType: 'blob',
      ...inline(),
    });
  }
}

/** Saves a downloaded file through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
