import { CanMatchFn } from '@angular/router';

/** The shape of every resource id the API hands out. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A route matches only when the URL segment at `index` (from the route's own path) is an id, so
 * `/prompts/not-a-uuid` falls through to the not-found page instead of asking the API and showing
 * its validation error.
 */
export function idSegmentAt(index: number): CanMatchFn {
  return (_route, segments) => UUID_PATTERN.test(segments[index]?.path ?? '');
}
