import { HttpErrorResponse } from '@angular/common/http';
import { ProblemError } from '../../../core/http/problem';
import { filenameOf, lastOwnerOrganizations } from './account-privacy.store';

describe('account privacy helpers', () => {
  it('reads the organizations of a last_owner problem and nothing else', () => {
    const problem = (code: string, extensions: Record<string, unknown>) =>
      new ProblemError(
        { type: 'about:blank', title: 'Conflict', status: 409, code, extensions },
        new HttpErrorResponse({ status: 409 }),
        false,
      );
    expect(
      lastOwnerOrganizations(
        problem('last_owner', {
          organizations: [
            { id: 'o1', name: 'Acme' },
            { id: 2, name: 'broken' },
          ],
        }),
      ),
    ).toEqual([{ id: 'o1', name: 'Acme' }]);
    expect(lastOwnerOrganizations(problem('other', { organizations: [{ id: 'o1', name: 'Acme' }] }))).toEqual(
      [],
    );
    expect(lastOwnerOrganizations(new Error('x'))).toEqual([]);
  });

  it('takes the file name from Content-Disposition, else the fallback', () => {
    expect(filenameOf('attachment; filename="prompt-vault-personal-data-2026-12-05.json"', 'x.json')).toBe(
      'prompt-vault-personal-data-2026-12-05.json',
    );
    expect(filenameOf(null, 'x.json')).toBe('x.json');
  });
});
