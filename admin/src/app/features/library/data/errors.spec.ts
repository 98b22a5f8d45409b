import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { ProblemError, readProblem } from '../../../core/http/problem';
import { describeError, errorCode, hasCode, LIBRARY_ERROR_MESSAGES, LibraryErrorCode } from './errors';

function problemError(status: number, body: Record<string, unknown>): ProblemError {
  const response = new HttpErrorResponse({
    status,
    error: { type: 'about:blank', title: 'Conflict', status, ...body },
    headers: new HttpHeaders({ 'content-type': 'application/problem+json' }),
  });
  return new ProblemError(readProblem(response)!, response, false);
}

describe('library errors', () => {
  it('tells two 409s apart by their code, not by status or detail', () => {
    const stale = problemError(409, { code: 'prompt_version_conflict', detail: 'slug taken' });
    expect(errorCode(stale)).toBe('prompt_version_conflict');
    expect(hasCode(stale, LibraryErrorCode.promptVersionConflict)).toBe(true);
    expect(hasCode(stale, LibraryErrorCode.promptSlugTaken)).toBe(false);
  });

  it('words a known code itself and falls back to the problem for others', () => {
    expect(describeError(problemError(409, { code: 'collection_not_empty' }), 'x')).toBe(
      LIBRARY_ERROR_MESSAGES.collection_not_empty,
    );
    expect(describeError(problemError(403, { code: 'forbidden', detail: 'Not yours' }), 'x')).toBe(
      'Conflict: Not yours',
    );
    expect(describeError(new HttpErrorResponse({ status: 502 }), 'Could not load')).toBe(
      'Could not load (502)',
    );
    expect(errorCode(new HttpErrorResponse({ status: 502 }))).toBeNull();
  });

  it('has a message for every code it names', () => {
    for (const code of Object.values(LibraryErrorCode)) expect(LIBRARY_ERROR_MESSAGES[code]).toBeTruthy();
  });
});
