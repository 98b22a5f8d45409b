import { HttpErrorResponse } from '@angular/common/http';
import { ProblemError } from '../../../core/http/problem';
import { problemMessage, UNREACHABLE_MESSAGE } from '../../../core/http/problem.interceptor';

/** One sentence for an error shown inline on a page. */
export function describeError(error: unknown, fallback: string): string {
  if (error instanceof ProblemError) return problemMessage(error.problem);
  if (error instanceof HttpErrorResponse) {
    return error.status === 0 ? UNREACHABLE_MESSAGE : `${fallback} (${error.status})`;
  }
  return fallback;
}

export function statusOf(error: unknown): number | null {
  if (error instanceof ProblemError) return error.status;
  if (error instanceof HttpErrorResponse) return error.status;
  return null;
}
