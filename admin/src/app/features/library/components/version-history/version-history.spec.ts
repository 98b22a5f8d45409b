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

function render(
  role: MembershipRole,
  authorId = 'u1',
  options: { labels?: Record<string, number>; from?: number; to?: number } = {},
) {
  const bed = setUpLibrary(role);
  TestBed.inject(PromptDetailStore).prompt.set(prompt({ authorId, labels: options.labels ?? {} }));
  const fixture = TestBed.createComponent(VersionHistory);
  if (options.from !== undefined) fixture.componentRef.setInput('from', options.from);
  if (options.to !== undefined) fixture.componentRef.setInput('to', options.to);
  const compared = vi.fn();
  fixture.componentInstance.compared.subscribe(compared);
  TestBed.tick();
  bed.backend
    .expectOne((r) => r.url === '/api/v1/prompts/p1/versions')
    .flush({ items: VERSIONS, nextCursor: 'older' });
  TestBed.tick();
  const root = fixture.nativeElement as HTMLElement;
  return {
    ...bed,
    fixture,
    compared,
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

  it('names each version in the selects by number, labels and day, not by the repeated title', () => {
    const bed = render('EDITOR', 'u1', { labels: { production: 3, staging: 3, beta: 1 } });
    bed.root.querySelector<HTMLElement>('.mat-mdc-select-trigger')!.click();
    TestBed.tick();
    const options = [...document.querySelectorAll<HTMLElement>('mat-option')].map((o) =>
      o.textContent.trim(),
    );
    expect(options).toEqual(['v3 · production · staging · 1 Mar', 'v2 · 1 Feb', 'v1 · beta · 1 Jan']);
  });

  it('shows a title only on the version where it changed', () => {
    const { rows } = render('EDITOR');
    const titles = rows().map((r) => {
      const cell = r.querySelectorAll('td')[1].cloneNode(true) as HTMLElement;
      cell.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
      return cell.textContent.trim();
    });
    // v3 kept v2's title; v2 renamed v1's "Support"; v1, the first, shows its own.
    expect(titles).toEqual(['', 'Support reply', 'Support']);
    expect(rows()[0].textContent).toContain('Same title as version 2');
  });

  it('labels the change counts in words', () => {
    const bed = render('EDITOR');
    getByRole(bed.root, 'button', /Compare/).click();
    bed.backend
      .expectOne((r) => r.url === '/api/v1/prompts/p1/diff')
      .flush({
        from: 2,
        to: 3,
        fields: {
          content: [
            { op: 'equal', text: 'Answer ' },
            { op: 'delete', text: 'curtly' },
            { op: 'insert', text: 'kindly!' },
          ],
        },
      });
    TestBed.tick();
    const caption = bed.root.querySelector('caption')!;
    expect(caption.querySelector('.visually-hidden')!.textContent).toBe('7 characters added, 6 removed');
    expect(caption.textContent.replace(/\s+/g, ' ')).toContain('+7 −6 characters');
  });

  it('diffs variables as a table of fields, not as JSON', () => {
    const bed = render('EDITOR');
    getByRole(bed.root, 'button', /Compare/).click();
    bed.backend
      .expectOne((r) => r.url === '/api/v1/prompts/p1/diff')
      .flush({
        from: 2,
        to: 3,
        fields: { variables: [{ op: 'insert', text: '{"name":"language"}' }] },
      });
    const snapshot = (version: number, variables: unknown[]) => ({
      ...VERSIONS[3 - version],
      promptId: 'p1',
      description: '',
      content: '',
      metadata: {},
      variables,
    });
    bed.backend.expectOne('/api/v1/prompts/p1/versions/2').flush(
      snapshot(2, [
        { name: 'customer', type: 'text', required: true },
        { name: 'tone', type: 'text', required: false },
      ]),
    );
    bed.backend.expectOne('/api/v1/prompts/p1/versions/3').flush(
      snapshot(3, [
        { name: 'customer', type: 'text', required: true },
        { name: 'tone', type: 'select', required: false, options: ['friendly', 'formal'] },
        { name: 'language', type: 'text', required: true, description: 'ISO code' },
      ]),
    );
    TestBed.tick();
    const table = bed.root.querySelector('pv-variables-diff table')!;
    expect(table).not.toBeNull();
    expect(bed.root.textContent).not.toContain('{"name"');
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    expect(headers).toEqual(['Variable', 'Change', 'Type', 'Required', 'Default', 'Options', 'Description']);
    const body = () =>
      [...table.querySelectorAll('tbody tr')].map((tr) =>
        [...tr.children].map((cell) => cell.textContent.replace(/\s+/g, ' ').trim()).join(' | '),
      );
    expect(body()).toEqual([
      'tone | Changed | was text → , now select | no | — | was — → , now friendly, formal | —',
      'language | Added | text | yes | — | — | ISO code',
    ]);
    expect(table.querySelectorAll('tbody td.changed del')[0].textContent).toBe('text');
    expect(table.querySelectorAll('tbody td.changed ins')[0].textContent).toBe('select');
    getByRole(bed.root, 'button', 'Show 1 unchanged variable').click();
    TestBed.tick();
    expect(body()[0]).toBe('customer | Unchanged | text | yes | — | — | —');
  });

  it('compares the pair it is given (a shared link) and reports a new comparison', () => {
    const bed = render('EDITOR', 'u1', { from: 3, to: 1 });
    const first = bed.backend.expectOne((r) => r.url === '/api/v1/prompts/p1/diff');
    expect([first.request.params.get('from'), first.request.params.get('to')]).toEqual(['1', '3']);
    first.flush({ from: 1, to: 3, fields: {} });
    TestBed.tick();
    expect(bed.root.textContent).toContain('Versions 1 and 3 are identical.');
    expect(bed.compared).not.toHaveBeenCalled();

    // The URL echoing the pair back does not compare again.
    bed.fixture.componentRef.setInput('from', 1);
    bed.fixture.componentRef.setInput('to', 3);
    TestBed.tick();
    bed.backend.expectNone((r) => r.url === '/api/v1/prompts/p1/diff');

    getByRole(bed.root, 'button', /Compare/).click();
    bed.backend.expectOne((r) => r.url === '/api/v1/prompts/p1/diff').flush({ from: 1, to: 3, fields: {} });
    expect(bed.compared).toHaveBeenCalledWith({ from: 1, to: 3 });
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
