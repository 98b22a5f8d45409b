import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { problem, prompt, setUpLibrary } from '../../../../../testing/library-fixtures';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { VersionSummary } from '../../data/library.types';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { VersionHistory } from './version-history';

const VERSIONS: VersionSummary[] = [
  {
    version: 3,
    title: 'Support reply',
    changedBy: 'u1',
    changeNote: 'Friendlier',
    createdAt: '2026-03-01T00:00:00Z',
  },
  {
    version: 2,
    title: 'Support reply',
    changedBy: 'u2',
    changeNote: null,
    createdAt: '2026-02-01T00:00:00Z',
  },
  { version: 1, title: 'Support', changedBy: 'gone', changeNote: 'First', createdAt: '2026-01-01T00:00:00Z' },
];

function render(role: MembershipRole, authorId = 'u1') {
  const bed = setUpLibrary(role);
  TestBed.inject(PromptDetailStore).prompt.set(prompt({ authorId }));
  const fixture = TestBed.createComponent(VersionHistory);
  TestBed.tick();
  bed.backend
    .expectOne((r) => r.url === '/api/v1/prompts/p1/versions')
    .flush({ items: VERSIONS, nextCursor: 'older' });
  TestBed.tick();
  const root = fixture.nativeElement as HTMLElement;
  return {
    ...bed,
    root,
    rows: () => Array.from(root.querySelectorAll('table[aria-label="Versions"] tbody tr')),
  };
}

describe('VersionHistory', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('lists versions newest first with note, author name and the current one marked', () => {
    const { rows } = render('EDITOR');
    const text = rows().map((r) => r.textContent.replace(/\s+/g, ' '));
    expect(text).toHaveLength(3);
    expect(text[0]).toContain('v3 current');
    expect(text[0]).toContain('Friendlier');
    expect(text[0]).toContain('Ada');
    expect(text[1]).toContain('Bob');
    expect(text[1]).toContain('—');
    expect(text[2]).toContain('Former member');
  });

  it('compares the previous and the current version side by side', () => {
    const bed = render('EDITOR');
    getByRole(bed.root, 'button', /Compare/).click();
    const diff = bed.backend.expectOne((r) => r.url === '/api/v1/prompts/p1/diff');
    expect(diff.request.params.get('from')).toBe('2');
    expect(diff.request.params.get('to')).toBe('3');
    diff.flush({
      from: 2,
      to: 3,
      fields: {
        content: [
          { op: 'equal', text: 'Answer ' },
          { op: 'delete', text: 'curtly' },
          { op: 'insert', text: 'kindly' },
        ],
      },
    });
    TestBed.tick();
    const region = bed.root.querySelector('section[aria-label="Changes from version 2 to version 3"]');
    expect(region).not.toBeNull();
    expect(region!.querySelector('caption')!.textContent).toContain('Content');
    expect(region!.querySelector('del')!.textContent).toBe('curtly');
    expect(region!.querySelector('ins')!.textContent).toBe('kindly');
  });

  it('says when two versions are identical and shows a failed comparison inline', () => {
    const bed = render('EDITOR');
    getByRole(bed.root, 'button', /Compare/).click();
    bed.backend.expectOne((r) => r.url === '/api/v1/prompts/p1/diff').flush({ from: 2, to: 3, fields: {} });
    TestBed.tick();
    expect(bed.root.textContent).toContain('Versions 2 and 3 are identical.');

    getByRole(bed.root, 'button', /Compare/).click();
    const failed = problem(404, 'not_found', { detail: 'Version 2 does not exist' });
    bed.backend.expectOne((r) => r.url === '/api/v1/prompts/p1/diff').flush(failed.body, failed.options);
    TestBed.tick();
    expect(getByRole(bed.root, 'alert').textContent).toContain('Version 2 does not exist');
  });

  it('reverts to an older version after confirmation and reloads the list', () => {
    const bed = render('EDITOR');
    expect(queryAllByRole(bed.root, 'button', 'Revert to version 3')).toHaveLength(0);
    getByRole(bed.root, 'button', 'Revert to version 2').click();
    expect(bed.dialog.open).toHaveBeenCalledTimes(1);
    const revert = bed.backend.expectOne('/api/v1/prompts/p1/versions/2/revert');
    expect(revert.request.body).toEqual({ changeNote: 'Reverted to version 2' });
    revert.flush(prompt({ version: 4 }));
    bed.backend
      .expectOne((r) => r.url === '/api/v1/prompts/p1/versions')
      .flush({ items: [{ ...VERSIONS[1], version: 4 }, ...VERSIONS], nextCursor: null });
    TestBed.tick();
    expect(bed.snackBar.open).toHaveBeenCalledWith('Reverted: version 4 is now current', 'Dismiss', {
      duration: 5000,
    });
    expect(bed.rows()[0].textContent).toContain('v4 current');
  });

  it('does nothing when the revert is not confirmed', () => {
    const bed = render('EDITOR');
    bed.dialog.answer = false;
    getByRole(bed.root, 'button', 'Revert to version 2').click();
    bed.backend.expectNone('/api/v1/prompts/p1/versions/2/revert');
  });

  it('offers no revert to someone who cannot edit the prompt, and loads older versions on demand', () => {
    const bed = render('EDITOR', 'someone-else');
    expect(queryAllByRole(bed.root, 'button', /^Revert/)).toHaveLength(0);
    getByRole(bed.root, 'button', 'Load older versions').click();
    const older = bed.backend.expectOne((r) => r.url === '/api/v1/prompts/p1/versions');
    expect(older.request.params.get('cursor')).toBe('older');
    older.flush({ items: [], nextCursor: null });
    TestBed.tick();
    expect(queryAllByRole(bed.root, 'button', 'Load older versions')).toHaveLength(0);
  });
});
