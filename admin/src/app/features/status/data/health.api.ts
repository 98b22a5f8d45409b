import { HttpClient, HttpContext, HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { catchError, Observable, of, throwError } from 'rxjs';
import { API_BASE, HealthResponse } from '../../../core/api/api-types';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';
import { ProblemError } from '../../../core/http/problem';

function isHealthBody(body: unknown): body is HealthResponse {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { status?: unknown }).status === 'string' &&
    typeof (body as { details?: unknown }).details === 'object' &&
    (body as { details?: unknown }).details !== null
  );
}

@Injectable({ providedIn: 'root' })
export class HealthApi {
  private readonly http = inject(HttpClient);

  /**
   * The detailed health report (`/health/details`: signed-in callers, or anyone when the operator
   * sets STATUS_PAGE_PUBLIC). Terminus answers 503 with the same report when a check is down;
   * that is a result to show, not a failure, so it is returned like a 200.
   */
  get(): Observable<HealthResponse> {
    return this.http
      .get<HealthResponse>(`${API_BASE}/health/details`, {
        context: new HttpContext().set(SILENT_ERRORS, true),
      })
      .pipe(
        catchError((error: unknown) => {
          const response =
            error instanceof ProblemError
              ? error.response
              : error instanceof HttpErrorResponse
                ? error
                : null;
          if (response?.status === 503 && isHealthBody(response.error)) return of(response.error);
          return throwError(() => error);
        }),
      );
  }
}
