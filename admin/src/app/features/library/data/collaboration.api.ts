import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import { ActivityEntry, Comment, Page } from './library.types';

function items<T>(body: Page<T> | T[]): T[] {
  return Array.isArray(body) ? body : body.items;
}

@Injectable({ providedIn: 'root' })
export class CollaborationApi {
  private readonly http = inject(HttpClient);

  comments(promptId: string): Observable<Comment[]> {
    return this.http
      .get<Page<Comment> | Comment[]>(`${API_BASE}/prompts/${promptId}/comments`, {
        params: new HttpParams().set('limit', 100),
      })
      .pipe(map(items));
  }

  addComment(promptId: string, content: string, parentId?: string | null): Observable<Comment> {
    return this.http.post<Comment>(`${API_BASE}/prompts/${promptId}/comments`, {
      content,
      ...(parentId ? { parentId } : {}),
    });
  }

  deleteComment(id: string): Observable<void> {
    return this.http.delete<void>(`${API_BASE}/comments/${id}`);
  }

  activity(promptId: string): Observable<ActivityEntry[]> {
    return this.http
      .get<Page<ActivityEntry> | ActivityEntry[]>(`${API_BASE}/activity`, {
        params: new HttpParams().set('promptId', promptId).set('limit', 30),
      })
      .pipe(map(items));
  }
}
