import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';
import { filterParams } from '../../library/data/prompts.api';
import { Category, Page, Prompt, PromptFilters } from '../../library/data/library.types';
import { SearchResponse } from '../../search/data/search.types';

const inline = () => new HttpContext().set(SILENT_ERRORS, true);

/** What the employee portal reads: published prompts, favorites, categories and search. */
@Injectable({ providedIn: 'root' })
export class PortalApi {
  private readonly http = inject(HttpClient);

  prompts(filters: PromptFilters, limit = 100): Observable<Page<Prompt>> {
    return this.http.get<Page<Prompt>>(`${API_BASE}/prompts`, {
      params: filterParams(filters, null, limit),
      context: inline(),
    });
  }

  categories(): Observable<Page<Category>> {
    return this.http.get<Page<Category>>(`${API_BASE}/categories`, {
      params: new HttpParams().set('limit', 100),
      context: inline(),
    });
  }

  /** Published prompts only; kept out of the user's recent searches (the portal searches as you type). */
  search(q: string): Observable<SearchResponse> {
    return this.http.get<SearchResponse>(`${API_BASE}/search`, {
      params: new HttpParams().set('q', q).set('status', 'published').set('limit', 20).set('record', 'false'),
      context: inline(),
    });
  }
}
