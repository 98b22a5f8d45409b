import {
  asyncScheduler,
  catchError,
  debounceTime,
  distinctUntilChanged,
  map,
  Observable,
  of,
  SchedulerLike,
  switchMap,
} from 'rxjs';
import type { SimilarPrompts } from './library.types';

/** Wait this long after the last keystroke before asking for similar prompts. */
export const SIMILAR_DEBOUNCE_MS = 400;
/** A title this long, or content this long (trimmed), is enough to look for near-duplicates. */
export const SIMILAR_MIN_TITLE = 3;
export const SIMILAR_MIN_CONTENT = 20;

/** What the user is writing in the create form. */
export interface SimilarDraft {
  title: string;
  content: string;
}

const NONE: SimilarPrompts = { items: [], engine: 'postgres' };

/** Trimmed, and `null` while there is too little to compare. */
export function similarQuery(draft: SimilarDraft): SimilarDraft | null {
  const title = draft.title.trim();
  const content = draft.content.trim();
  if (title.length < SIMILAR_MIN_TITLE && content.length < SIMILAR_MIN_CONTENT) return null;
  return { title, content };
}

/**
 * Similar prompts for a stream of drafts: debounced, only once there is enough to compare, the
 * same query never twice in a row, and a newer draft cancels the request of an older one
 * (`switchMap` unsubscribes, which aborts the HTTP call). Too little text, or a failed lookup,
 * gives no suggestions: they are a hint, never in the way of writing the prompt.
 */
export function similarPrompts(
  drafts: Observable<SimilarDraft>,
  fetch: (query: SimilarDraft) => Observable<SimilarPrompts>,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<SimilarPrompts> {
  return drafts.pipe(
    debounceTime(SIMILAR_DEBOUNCE_MS, scheduler),
    map(similarQuery),
    distinctUntilChanged((a, b) => a?.title === b?.title && a?.content === b?.content),
    switchMap((query) => (query ? fetch(query).pipe(catchError(() => of(NONE))) : of(NONE))),
  );
}

/**
 * A short hint of how close a match is. Postgres scores are trigram similarities (0..1), shown as a
 * percentage; Elasticsearch `more_like_this` scores have no fixed scale, so they are judged
 * against the best match of the same answer.
 */
export function similarityHint(score: number, result: SimilarPrompts): string {
  if (result.engine === 'postgres') return `${Math.round(Math.min(Math.max(score, 0), 1) * 100)}% similar`;
  const best = Math.max(...result.items.map((item) => item.score));
  if (!(best > 0)) return 'Similar';
  const relative = score / best;
  return relative >= 0.8 ? 'Very similar' : relative >= 0.5 ? 'Similar' : 'Somewhat similar';
}
