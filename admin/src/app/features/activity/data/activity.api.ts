import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE, Member } from '../../../core/api/api-types';
import type { components, operations } from '../../../core/api/schema';

type Schemas = components['schemas'];
export type ActivityEntry = Schemas['ActivityEntryDto'];
export type ActivityType = NonNullable<
  NonNullable<operations['ActivityController_list']['parameters']['query']>['type']
>;
export const ACTIVITY_TYPES: readonly { value: ActivityType; label: string }[] = [
  { value: 'prompt', label: 'Prompts' },
  { value: 'comment', label: 'Comments' },
  { value: 'collection', label: 'Collections' },
  { value: 'tag', label: 'Tags' },
  { value: 'category', label: 'Categories' },
];

export interface ActivityFilters {
  actorId?: string | null;
  promptId?: string | null;
  type?: ActivityType | null;
}

export interface ActivityPage {
  items: ActivityEntry[];
  nextCursor: string | null;
}

/** `GET /activity` (any member) and the members to filter it by. */
@Injectable({ providedIn: 'root' })
export class ActivityApi {
  private readonly http = inject(HttpClient);

  list(filters: ActivityFilters, cursor: string | null, limit = 30): Observable<ActivityPage> {
    let params = new HttpParams().set('limit', limit);
    for (const key of ['actorId', 'promptId', 'type'] as const) {
      const value = filters[key];
      if (value) params = params.set(key, value);
    }
    if (cursor) params = params.set('cursor', cursor);
    return this.http.get<ActivityPage>(`${API_BASE}/activity`, { params });
  }

  members(organizationId: string): Observable<Member[]> {
    return this.http.get<Member[]>(`${API_BASE}/organizations/${encodeURIComponent(organizationId)}/members`);
  }
}
