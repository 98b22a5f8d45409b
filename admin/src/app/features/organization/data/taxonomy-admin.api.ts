import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];
export type Tag = Schemas['TagResponseDto'];
export type Category = Schemas['CategoryResponseDto'];
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

/** Tag and category management (OWNER, ADMIN): the taxonomy routes of API-CONTRACT.md. */
@Injectable({ providedIn: 'root' })
export class TaxonomyAdminApi {
  private readonly http = inject(HttpClient);

  tags(cursor: string | null, limit = 50): Observable<Page<Tag>> {
    let params = new HttpParams().set('limit', limit);
    if (cursor) params = params.set('cursor', cursor);
    return this.http.get<Page<Tag>>(`${API_BASE}/tags`, { params });
  }

  renameTag(id: string, name: string): Observable<Tag> {
    return this.http.patch<Tag>(`${API_BASE}/tags/${id}`, { name }, inline());
  }

  /** Every prompt carrying `id` carries `into` afterwards; `id` is deleted. Answers the surviving tag. */
  mergeTag(id: string, into: string): Observable<Tag> {
    return this.http.post<Tag>(`${API_BASE}/tags/${id}/merge`, { into }, inline());
  }

  deleteTag(id: string): Observable<void> {
    return this.http.delete<void>(`${API_BASE}/tags/${id}`, inline());
  }

  categories(cursor: string | null, limit = 100): Observable<Page<Category>> {
    let params = new HttpParams().set('limit', limit);
    if (cursor) params = params.set('cursor', cursor);
    return this.http.get<Page<Category>>(`${API_BASE}/categories`, { params });
  }

  createCategory(body: { name: string; description?: string }): Observable<Category> {
    return this.http.post<Category>(`${API_BASE}/categories`, body, inline());
  }

  updateCategory(id: string, body: { name?: string; description?: string | null }): Observable<Category> {
    return this.http.patch<Category>(`${API_BASE}/categories/${id}`, body, inline());
  }

  deleteCategory(id: string): Observable<void> {
    return this.http.delete<void>(`${API_BASE}/categories/${id}`, inline());
  }
}
