import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import {
  fieldByLabel,
  LibraryTestBed,
  prompt,
  setUpLibrary,
  type,
} from '../../../../../testing/library-fixtures';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { TestCase } from '../../data/library.types';
import { TestCasesPanel } from './test-cases-panel';

const CASE: TestCase = {
  id: 't1',
  promptId: 'p1',
  name: 'Angry customer',
  variables: { customer: 'Bob', tone: 'formal' },
  expectedContains: 'Bob',
  assertions: [{ type: 'contains', value: 'Bob' }],
  createdBy: 'u1',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

function render(role: MembershipRole, cases: TestCase[] = [CASE], value = prompt()) {
  const bed = setUpLibrary(role);
  TestBed.inject(PromptDetailStore).prompt.set(value);
  const fixture = TestBed.createComponent(TestCasesPanel);
  TestBed.tick();
  bed.backend.expectOne('/api/v1/prompts/p1/test-cases').flush({ items: cases, nextCursor: null });
  bed.backend
    .expectOne((r) => r.url === '/api/v1/prompts/p1/versions')
    .flush({ items: [{ version: 3, title: 'Support reply' }], nextCursor: null });
  // The test-run panel below the cases: the model catalogue and the latest test run (none).
  bed.backend.expectOne('/api/v1/models').flush([]);
  bed.backend
    .expectOne((r) => r.url === '/api/v1/prompts/p1/test-runs')
    .flush({ items: [], nextCursor: null });
  TestBed.tick();
  return { ...bed, fixture, root: fixture.nativeElement as HTMLElement };
}

function refresh(bed: LibraryTestBed & { root: HTMLElement }): HTMLElement {
  TestBed.tick();
  return bed.root;
}

describe('TestCasesPanel', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('lists the saved cases with their values and what they expect', () => {
    const { root } = render('EDITOR');
    const items = queryAllByRole(getByRole(root, 'list', 'Test cases'), 'listitem');
    expect(items).toHaveLength(1);
    expect(items[0].textContent).toContain('Angry customer');
    expect(items[0].textContent).toContain('customer = "Bob", tone = "formal"');
    expect(items[0].textContent).toContain('expects “Bob”');
  });

  it('says so when there are no cases yet', () => {
    const { root } = render('EDITOR', []);
    expect(getByRole(root, 'list', 'Test cases').textContent).toContain('No test cases yet');
    expect(queryAllByRole(root, 'button', /Run all/)).toHaveLength(0);
  });

  it('creates a case from the form with one field per variable and re-reads the list', () => {
    const bed = render('EDITOR', []);
    getByRole(bed.root, 'button', 'New test case').click();
    const root = refresh(bed);
    const save = getByRole(root, 'button', 'Save test case') as HTMLButtonElement;
    // An empty save says what is missing: the name turns red and has the focus (FocusInvalid).
    document.body.append(root);
    save.click();
    refresh(bed);
    expect(document.activeElement).toBe(fieldByLabel(root, 'Name'));
    expect(fieldByLabel(root, 'Name').closest('mat-form-field')!.classList).toContain(
      'mat-form-field-invalid',
    );
    expect(root.textContent).toContain('Enter a name');

    type(fieldByLabel(root, 'Name'), '  Polite ');
    type(fieldByLabel(root, 'customer'), 'Ada');
    type(fieldByLabel(root, 'Expected text (optional)'), 'Ada');
    getByRole(root, 'button', /Add assertion/).click();
    refresh(bed);
    // An incomplete assertion keeps Save disabled until it is filled in.
    expect(save.disabled).toBe(true);
    (
      bed.fixture.debugElement.query((d) => d.name === 'pv-assertions-editor').componentInstance as {
        change: (i: number, patch: object) => void;
      }
    ).change(0, { type: 'max_length', text: '300' });
    refresh(bed);
    expect(save.disabled).toBe(false);
    save.click();

    const post = bed.backend.expectOne('/api/v1/prompts/p1/test-cases');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({
      name: 'Polite',
      variables: { customer: 'Ada' },
      expectedContains: 'Ada',
      assertions: [{ type: 'max_length', max: 300 }],
    });
    post.flush({ ...CASE, id: 't2', name: 'Polite' });
    bed.backend
      .expectOne('/api/v1/prompts/p1/test-cases')
      .flush({ items: [{ ...CASE, id: 't2', name: 'Polite' }], nextCursor: null });
    refresh(bed);
    expect(bed.root.querySelector('form[aria-label="Test case"]')).toBeNull();
    expect(getByRole(bed.root, 'list', 'Test cases').textContent).toContain('Polite');
  });

  it('edits a case with its saved values filled in and shows a refused save inline', () => {
    const bed = render('EDITOR');
    getByRole(bed.root, 'button', 'Edit Angry customer').click();
    const root = refresh(bed);
    expect(fieldByLabel(root, 'Name').value).toBe('Angry customer');
    expect(fieldByLabel(root, 'customer').value).toBe('Bob');
    expect(fieldByLabel(root, 'Text').value).toBe('Bob');
    type(fieldByLabel(root, 'Name'), 'Very angry customer');
    getByRole(root, 'button', 'Save test case').click();

    const patch = bed.backend.expectOne('/api/v1/prompts/p1/test-cases/t1');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toMatchObject({
      name: 'Very angry customer',
      variables: { customer: 'Bob' },
      assertions: [{ type: 'contains', value: 'Bob' }],
    });
    patch.flush(
      { type: 'about:blank', title: 'Forbidden', status: 403, code: 'forbidden', detail: 'Not yours' },
      { status: 403, statusText: 'Forbidden', headers: { 'Content-Type': 'application/problem+json' } },
    );
    refresh(bed);
    expect(getByRole(bed.root, 'alert').textContent).toContain('Not yours');
    expect(bed.root.querySelector('form[aria-label="Test case"]')).not.toBeNull();
  });

  it('runs one case against the current version and shows the result', () => {
    const bed = render('EDITOR');
    getByRole(bed.root, 'button', 'Run Angry customer').click();
    const run = bed.backend.expectOne('/api/v1/prompts/p1/test-cases/run');
    expect(run.request.body).toEqual({ caseIds: ['t1'], version: undefined });
    run.flush({
      version: 3,
      results: [
        {
          caseId: 't1',
          name: 'Angry customer',
          passed: false,
          rendered: 'Answer Bob',
          errors: [{ field: 'expectedContains', message: 'Missing “Bob!”' }],
        },
      ],
    });
    refresh(bed);
    const status = getByRole(bed.root, 'status');
    expect(status.textContent).toContain('Failed on v3');
    expect(status.textContent).toContain('Missing “Bob!”');
    expect(bed.root.textContent).toContain('Answer Bob');
  });

  it('runs the cases against a release label and shows the version it resolved to', () => {
    const bed = render('EDITOR', [CASE], prompt({ labels: { production: 2, staging: 3 } }));
    bed.root.querySelector<HTMLElement>('.mat-mdc-select-trigger')!.click();
    refresh(bed);
    const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
    expect(options.map((o) => o.textContent.trim())).toEqual([
      'Current version',
      'production (v2)',
      'staging (v3)',
      'v3 · Support reply',
    ]);
    options[1].click();
    refresh(bed);
    expect(bed.root.textContent).toContain('Points at v2 now');

    getByRole(bed.root, 'button', /Run all/).click();
    const run = bed.backend.expectOne('/api/v1/prompts/p1/test-cases/run');
    expect(run.request.body).toEqual({ label: 'production' });
    run.flush({
      version: 2,
      passed: 1,
      failed: 0,
      results: [{ caseId: 't1', name: 'Angry customer', passed: true, rendered: 'Hi Bob', errors: [] }],
    });
    refresh(bed);
    expect(getByRole(bed.root, 'status').textContent.replace(/\s+/g, ' ')).toContain(
      'Passed on v2 (production)',
    );
  });

  it('deletes a case after confirmation', () => {
    const bed = render('EDITOR');
    getByRole(bed.root, 'button', 'Delete Angry customer').click();
    expect(bed.dialog.open).toHaveBeenCalledTimes(1);
    const del = bed.backend.expectOne('/api/v1/prompts/p1/test-cases/t1');
    expect(del.request.method).toBe('DELETE');
    del.flush(null);
    refresh(bed);
    expect(getByRole(bed.root, 'list', 'Test cases').textContent).toContain('No test cases yet');
  });

  it('lets a VIEWER run cases but not change them', () => {
    const { root } = render('VIEWER');
    expect(getByRole(root, 'button', 'Run Angry customer')).toBeTruthy();
    expect(queryAllByRole(root, 'button', 'New test case')).toHaveLength(0);
    expect(queryAllByRole(root, 'button', 'Edit Angry customer')).toHaveLength(0);
    expect(queryAllByRole(root, 'button', 'Delete Angry customer')).toHaveLength(0);
  });
});
