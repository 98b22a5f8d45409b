import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';
import { searchApiParams, SearchState } from './search-url';
import { CreateSavedSearch, RecentSearch, SavedSearch, SearchResponse } from './search.types';

/** For requests whose caller shows the error itself (the results page, the instant results). */
const silent = (): HttpContext => new HttpContext().set(SILENT_ERRORS, true);

/** `GET /search`, saved and recent searches (API-CONTRACT.md, "Search"). */
@Injectable({ providedIn: 'root' })
export class SearchApi {
  private readonly http = inject(HttpClient);
  private readonly base = `${API_BASE}/search`;

  /** `record: false` keeps the search out of the caller's recent searches (instant previews). */
  search(
    state: SearchState,
    page: { limit: number; cursor?: string | null; record?: boolean },
  ): Observable<SearchResponse> {
    return this.http.get<SearchResponse>(this.base, {
      params: searchApiParams(state, page),
      context: silent(),
    });
  }

  saved(): Observable<SavedSearch[]> {
    return this.http.get<SavedSearch[]>(`${this.base}/saved`, { context: silent() });
  }

  /** The save dialog shows every error itself (a taken name under the name field). */
  save(body: CreateSavedSearch): Observable<SavedSearch> {
    return this.http.post<SavedSearch>(`${this.base}/saved`, body, { context: silent() });
  }

  deleteSaved(id: string): Observable<void> {
    return this.http.delete<void>(`${this.base}/saved/${id}`);
  }

  setSubscribed(id: string, subscribed: boolean): Observable<void> {
    const url = `${this.base}/saved/${id}/subscription`;
    return subscribed ? this.http.put<void>(url, null) : this.http.delete<void>(url);
  }

  recent(): Observable<RecentSearch[]> {
    return this.http.get<RecentSearch[]>(`${this.base}/recent`, { context: silent() });
  }
}
