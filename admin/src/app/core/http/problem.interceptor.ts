import { HttpContextToken, HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject, Injector } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { ErrorNotifier } from './error-notifier';
import { PLAN_LIMIT_REACHED, PlanLimitPrompt } from './plan-limit';
import { Problem, ProblemError, readProblem } from './problem';

/** Set on a request whose caller shows its own error state (no snackbar, still a ProblemError). */
export const SILENT_ERRORS = new HttpContextToken<boolean>(() => false);

export const UNREACHABLE_MESSAGE = 'Cannot reach the server';

export function problemMessage(problem: Problem): string {
  const parts = [problem.title];
  if (problem.detail && problem.detail !== problem.title) parts.push(problem.detail);
  let message = parts.join(': ');
  if (problem.requestId) message += ` (request ${problem.requestId})`;
  return message;
}

/**
 * One place for API failures: problem+json becomes a snackbar and a typed ProblemError;
 * a 400 with field `errors` is only rethrown, because the form shows those inline;
 * a network failure (status 0) becomes "Cannot reach the server";
 * `plan_limit_reached`, from any route, opens the one upgrade dialog instead of a snackbar, even on
 * SILENT_ERRORS requests (the way to a bigger plan is the point), and still reaches the caller.
 */
export const problemInterceptor: HttpInterceptorFn = (req, next) => {
  const notifier = inject(ErrorNotifier);
  const silent = req.context.get(SILENT_ERRORS);
  const injector = inject(Injector);

  return next(req).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);

      if (error.status === 0) {
        if (!silent) notifier.notify(UNREACHABLE_MESSAGE);
        return throwError(() => error);
      }

      const problem = readProblem(error);
      if (!problem) return throwError(() => error);

      if (problem.code === PLAN_LIMIT_REACHED) {
        injector.get(PlanLimitPrompt).show(problem);
        return throwError(() => new ProblemError(problem, error, true));
      }

      const inlineFieldErrors = problem.status === 400 && (problem.errors?.length ?? 0) > 0;
      const notify = !silent && !inlineFieldErrors;
      if (notify) notifier.notify(problemMessage(problem));
      return throwError(() => new ProblemError(problem, error, notify));
    }),
  );
};
