import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { FormControl, FormGroup } from '@angular/forms';
import { applyFailure, describeFailure, ErrorCatalogue, problemCode } from './error-catalogue';
import { Problem, ProblemError } from './problem';

const CATALOGUE: ErrorCatalogue = {
  thing_slug_taken: { message: 'This slug is taken.', field: 'slug' },
  last_thing: { message: 'Keep at least one thing.' },
};

function problem(body: Partial<Problem> & { status: number }): ProblemError {
  const full: Problem = { type: 'about:blank', title: 'Conflict', ...body };
  const response = new HttpErrorResponse({ status: body.status, headers: new HttpHeaders() });
  return new ProblemError(full, response, false);
}

const form = () =>
  new FormGroup({
    name: new FormControl('', { nonNullable: true }),
    slug: new FormControl('', { nonNullable: true }),
  });

describe('error catalogue', () => {
  it('decides on the code, not on the message text', () => {
    const error = problem({ status: 409, code: 'last_thing', detail: 'Server wording that may change' });
    expect(problemCode(error)).toBe('last_thing');
    expect(describeFailure(error, CATALOGUE, 'Failed')).toBe('Keep at least one thing.');
  });

  it('falls back to the problem text for codes it does not know, and to the fallback otherwise', () => {
    expect(describeFailure(problem({ status: 409, code: 'conflict', detail: 'Other' }), CATALOGUE, 'F')).toBe(
      'Other',
    );
    expect(describeFailure(new HttpErrorResponse({ status: 0 }), CATALOGUE, 'F')).toBe(
      'Cannot reach the server',
    );
    expect(describeFailure(new Error('x'), CATALOGUE, 'F')).toBe('F');
  });

  it('puts a code that names a field under that field and leaves nothing for the error line', () => {
    const f = form();
    expect(applyFailure(f, problem({ status: 409, code: 'thing_slug_taken' }), CATALOGUE, 'F')).toBeNull();
    expect(f.controls.slug.getError('server')).toBe('This slug is taken.');
    expect(f.controls.slug.touched).toBe(true);
    expect(f.controls.name.errors).toBeNull();
  });

  it('places 400 field errors inline and returns the ones no control takes', () => {
    const f = form();
    const error = problem({
      status: 400,
      code: 'validation_failed',
      errors: [
        { field: 'name', message: 'name is too long' },
        { field: 'other', message: 'other is wrong' },
      ],
    });
    expect(applyFailure(f, error, CATALOGUE, 'F')).toBe('Is wrong.');
    expect(f.controls.name.getError('server')).toBe('Is too long.');
  });

  it('returns the message of a code without a field for the error line', () => {
    expect(applyFailure(form(), problem({ status: 409, code: 'last_thing' }), CATALOGUE, 'F')).toBe(
      'Keep at least one thing.',
    );
  });
});
