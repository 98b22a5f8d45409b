import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import { Category, Collection, Member, Page, Tag } from './library.types';

/** Lists may come as `{items}` pages or bare arrays; the console reads both the same way. */
function items<T>(body: Page<T> | T[]): T[] {
  return Array.isArray(body) ? body : body.items;
}

@Injectable({ providedIn: 'root' })
export class TaxonomyApi {
  private readonly http = inject(HttpClient);
  private readonly all = new HttpParams().set('limit', 100);

  tags(): Observable<Tag[]> {
    return this.http.get<Page<Tag> | Tag[]>(`${API_BASE}/tags`, { params: this.all }).pipe(map(items));
  }

  categories(): Observable<Category[]> {
    return this.http
      .get<Page<Category> | Category[]>(`${API_BASE}/categories`, { params: this.all })
      .pipe(map(items));
  }

  collections(): Observable<Collection[]> {
    return this.http
      .get<Page<Collection> | Collection[]>(`${API_BASE}/collections`, { params: this.all })
      .pipe(map(items));
  }

  createCollection(input: {
    name: string;
    description?: string;
    parentId?: string | null;
  }): Observable<Collection> {
    const { parentId, ...rest } = input;
    // A top-level collection sends no parentId (the create DTO takes a UUID or nothing).
    return this.http.post<Collection>(`${API_BASE}/collections`, parentId ? { ...rest, parentId } : rest);
  }

  updateCollection(
    id: string,
    input: { name?: string; description?: string; parentId?: string | null },
  ): Observable<Collection> {
    return this.http.patch<Collection>(`${API_BASE}/collections/${id}`, input);
  }

  deleteCollection(id: string, cascade: boolean, context?: HttpContext): Observable<void> {
    const params = cascade ? new HttpParams().set('cascade', 'true') : undefined;
    return this.http.delete<void>(`${API_BASE}/collections/${id}`, { params, context });
  }

  members(organizationId: string): Observable<Member[]> {
    return this.http
      .get<Page<Member> | Member[]>(`${API_BASE}/organizations/${organizationId}/members`)
      .pipe(map(items));
  }
}
