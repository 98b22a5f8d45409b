import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { LibraryTestBed, problem, setUpLibrary } from '../../../../../testing/library-fixtures';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { POLL_MS } from '../../data/test-run.store';
import { TestRunDetail } from '../../data/test-runs.api';
import { TestRunPanel } from './test-run-panel';

const MODELS = [
  {
    provider: 'openai',
    id: 'gpt-4o',
    name: 'GPT-4o',
    contextWindow: 128000,
    inputPerMTokUsd: 2.5,
    outputPerMTokUsd: 10,
    pricesAsOf: '2026-01-01',
  },
];

function detail(overrides: Partial<TestRunDetail> = {}): TestRunDetail {
  return {
    id: 'r1',
    promptId: 'p1',
    version: 3,
    label: null,
    models: ['gpt-4o'],
    status: 'done',
    progress: { done: 2, total: 2 },
    passed: false,
    error: null,
    costUsd: 0.0021,
    createdBy: 'u1',
    createdAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    results: [
      {
        testCaseId: 't1',
        testCaseName: 'JSON answer',
        model: 'gpt-4o',
        runId: 'run1',
        passed: true,
        output: '{"a":1}',
        assertions: [{ type: 'valid_json', passed: true, detail: 'is valid JSON' }],
        costUsd: 0.001,
        error: null,
      },
      {
        testCaseId: 't2',
        testCaseName: 'Short answer',
        model: 'gpt-4o',
        runId: 'run2',
        passed: false,
        output: 'far too long',
        assertions: [{ type: 'max_length', passed: false, detail: '12 characters, more than 5' }],
        costUsd: 0.0011,
        error: null,
      },
    ],
    ...overrides,
  };
}

function render(role: MembershipRole, latest: TestRunDetail | null = null) {
  const bed = setUpLibrary(role);
  const fixture = TestBed.createComponent(TestRunPanel);
  fixture.componentRef.setInput('promptId', 'p1');
  fixture.componentRef.setInput('versions', [{ version: 3, title: 'Support reply' }]);
  TestBed.tick();
  bed.backend.expectOne('/api/v1/models').flush(MODELS);
  bed.backend
    .expectOne((r) => r.url === '/api/v1/prompts/p1/test-runs' && r.params.get('limit') === '1')
    .flush({ items: latest ? [latest] : [], nextCursor: null });
  return { ...bed, fixture, root: fixture.nativeElement as HTMLElement };
}

/** Lets the store's awaited requests settle, then renders. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  TestBed.tick();
}

describe('TestRunPanel', () => {
  afterEach(() => {
    vi.useRealTimers();
    TestBed.inject(HttpTestingController).verify();
  });

  it('says there is no test run yet', async () => {
    const { root } = render('EDITOR');
    await settle();
    expect(root.textContent).toContain('No test run yet');
    expect(root.querySelectorAll('table')).toHaveLength(0);
  });

  it('shows the latest run: a row per case × model with pass/fail, assertion details and cost', async () => {
    const bed = render('VIEWER', detail());
    await settle();
    bed.backend.expectOne('/api/v1/test-runs/r1').flush(detail());
    await settle();
    const table = bed.root.querySelector('table[aria-label="Test run results"]')!;
    const rows = table.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('JSON answer');
    expect(rows[0].textContent).toContain('Pass');
    expect(rows[1].textContent).toContain('Fail');
    expect(rows[1].textContent).toContain('At most N characters: 12 characters, more than 5');
    expect(rows[1].textContent).toContain('$0.0011');
    expect(getByRole(bed.root, 'status').textContent).toContain('1 of 2 passed');
    // A VIEWER sees results but cannot start a run.
    expect(queryAllByRole(bed.root, 'button', /Start test run/)).toHaveLength(0);
  });

  it('starts a run with the chosen models and version, then polls its progress until done', async () => {
    const bed = render('EDITOR');
    await settle();
    const panel = bed.fixture.componentInstance as unknown as {
      form: { patchValue: (v: object) => void };
    };
    panel.form.patchValue({ models: ['gpt-4o'], version: 3 });
    TestBed.tick();
    vi.useFakeTimers();
    getByRole(bed.root, 'button', /Start test run/).click();
    const post = bed.backend.expectOne('/api/v1/prompts/p1/test-runs');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({ models: ['gpt-4o'], version: 3 });
    post.flush({ id: 'r1', status: 'queued' });
    await settle();
    bed.backend
      .expectOne('/api/v1/test-runs/r1')
      .flush(detail({ status: 'running', passed: null, progress: { done: 1, total: 2 }, results: [] }));
    await settle();
    const bar = getByRole(bed.root, 'progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(bed.root.textContent).toContain('The first results appear here');

    await vi.advanceTimersByTimeAsync(POLL_MS);
    bed.backend.expectOne('/api/v1/test-runs/r1').flush(detail({ passed: true }));
    await settle();
    expect(queryAllByRole(bed.root, 'progressbar')).toHaveLength(0);
    expect(getByRole(bed.root, 'status').textContent).toContain('all passed');
    // Done: no more polling.
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
  });

  it('explains a refused start by its problem code', async () => {
    const bed: LibraryTestBed & { root: HTMLElement; fixture: { componentInstance: unknown } } = render('EDITOR');
    await settle();
    (bed.fixture.componentInstance as { form: { patchValue: (v: object) => void } }).form.patchValue({
      models: ['gpt-4o'],
    });
    TestBed.tick();
    getByRole(bed.root, 'button', /Start test run/).click();
    const { body, options } = problem(409, 'test_run_no_test_cases');
    bed.backend.expectOne('/api/v1/prompts/p1/test-runs').flush(body, options);
    await settle();
    expect(getByRole(bed.root, 'alert').textContent).toContain('Save a test case first');
  });
});
