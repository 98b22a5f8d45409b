import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];
/** `GET /templates` item: a starter template with typed variables and suggested model settings. */
export type PromptTemplate = Schemas['TemplateResponseDto'];
export type TemplateCategory = PromptTemplate['category'];
export type TemplateVariable = PromptTemplate['variables'][number];
export type UseTemplateRequest = Schemas['UseTemplateDto'];
export type CreatedPrompt = Schemas['PromptResponseDto'];

/** Calls whose failure the dialog reports inline, next to what failed. */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

/** The starter templates (API-CONTRACT.md, "Import and export": templates). */
@Injectable({ providedIn: 'root' })
export class TemplatesApi {
  private readonly http = inject(HttpClient);

  list(): Observable<PromptTemplate[]> {
    return this.http.get<PromptTemplate[]>(`${API_BASE}/templates`);
  }

  use(id: string, body: UseTemplateRequest = {}): Observable<CreatedPrompt> {
    return this.http.post<CreatedPrompt>(
      `${API_BASE}/templates/${encodeURIComponent(id)}/use`,
      body,
      inline(),
    );
  }
}
