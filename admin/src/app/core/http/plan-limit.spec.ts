import { HttpClient, HttpContext, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component, inject, Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialog } from '@angular/material/dialog';
import { ErrorNotifier } from './error-notifier';
import { PLAN_LIMIT_DIALOG, PlanLimitPrompt, PlanLimitReached, readPlanLimit } from './plan-limit';
import { ProblemError } from './problem';
import { problemInterceptor, SILENT_ERRORS } from './problem.interceptor';

const PROBLEM_HEADERS = { 'Content-Type': 'application/problem+json' };
const LIMIT_BODY = {
  type: 'https://promptvault.dev/problems/plan_limit_reached',
  title: 'Plan limit reached',
  status: 403,
  code: 'plan_limit_reached',
  detail: 'The Free plan allows 100 prompts',
  limit: 'prompts',
  plan: 'free',
  max: 100,
  current: 100,
  upgradeUrl: 'https://vault.example.com/billing',
};

@Component({
  selector: 'pv-test-limit-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p>{{ data.limit }} {{ data.current }}/{{ data.max }}</p>`,
})
class TestLimitDialog {
  protected readonly data = inject<PlanLimitReached>(MAT_DIALOG_DATA);
}

function setUp(loader: (() => Promise<Type<unknown>>) | null) {
  const notify = vi.fn<(message: string) => void>();
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(withInterceptors([problemInterceptor])),
      provideHttpClientTesting(),
      { provide: ErrorNotifier, useValue: { notify } },
      ...(loader ? [{ provide: PLAN_LIMIT_DIALOG, useValue: loader }] : []),
    ],
  });
  const http = TestBed.inject(HttpClient);
  const backend = TestBed.inject(HttpTestingController);
  const request = (url: string, context?: HttpContext) =>
    new Promise<unknown>((resolve) =>
      http.post(url, {}, { context }).subscribe({ next: resolve, error: resolve }),
    );
  return { notify, backend, request, dialog: TestBed.inject(MatDialog) };
}

describe('plan_limit_reached, from any route', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('opens the upgrade dialog with the limit, instead of a snackbar, and still fails the call', async () => {
    const loader = vi.fn(() => Promise.resolve(TestLimitDialog as Type<unknown>));
    const { notify, backend, request, dialog } = setUp(loader);
    const result = request('/api/v1/prompts');
    backend
      .expectOne('/api/v1/prompts')
      .flush(LIMIT_BODY, { status: 403, statusText: 'Forbidden', headers: PROBLEM_HEADERS });

    const error = await result;
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).problem.code).toBe('plan_limit_reached');
    // The caller's form can still react, and knows the user has been told.
    expect((error as ProblemError).notified).toBe(true);
    expect(notify).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(dialog.openDialogs).toHaveLength(1));
    expect(dialog.openDialogs[0].componentInstance).toBeInstanceOf(TestLimitDialog);
    await vi.waitFor(() => expect(document.body.textContent).toContain('prompts 100/100'));
  });

  it('opens one dialog for two answers that arrive together, and again after it was closed', async () => {
    const loader = vi.fn(() => Promise.resolve(TestLimitDialog as Type<unknown>));
    const { backend, request, dialog } = setUp(loader);
    const first = request('/api/v1/prompts');
    const second = request('/api/v1/organizations/o1/invites', new HttpContext().set(SILENT_ERRORS, true));
    for (const url of ['/api/v1/prompts', '/api/v1/organizations/o1/invites']) {
      backend
        .expectOne(url)
        .flush(LIMIT_BODY, { status: 403, statusText: 'Forbidden', headers: PROBLEM_HEADERS });
    }
    // Both callers get their error.
    expect(await first).toBeInstanceOf(ProblemError);
    expect(await second).toBeInstanceOf(ProblemError);
    await vi.waitFor(() => expect(dialog.openDialogs).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(dialog.openDialogs).toHaveLength(1);
    expect(loader).toHaveBeenCalledTimes(1);

    dialog.openDialogs[0].close();
    await vi.waitFor(() => expect(TestBed.inject(PlanLimitPrompt).isShowing).toBe(false));
    const third = request('/api/v1/prompts');
    backend
      .expectOne('/api/v1/prompts')
      .flush(LIMIT_BODY, { status: 403, statusText: 'Forbidden', headers: PROBLEM_HEADERS });
    await third;
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(2));
  });

  it('falls back to the snackbar when no dialog is registered or it cannot be loaded', async () => {
    const { notify, backend, request } = setUp(null);
    const result = request('/api/v1/prompts');
    backend
      .expectOne('/api/v1/prompts')
      .flush(LIMIT_BODY, { status: 403, statusText: 'Forbidden', headers: PROBLEM_HEADERS });
    await result;
    expect(notify).toHaveBeenCalledWith('The Free plan allows 100 prompts');
    TestBed.resetTestingModule();

    const failing = setUp(() => Promise.reject(new Error('chunk failed to load')));
    const again = failing.request('/api/v1/prompts');
    failing.backend
      .expectOne('/api/v1/prompts')
      .flush(LIMIT_BODY, { status: 403, statusText: 'Forbidden', headers: PROBLEM_HEADERS });
    await again;
    await vi.waitFor(() => expect(failing.notify).toHaveBeenCalledWith('The Free plan allows 100 prompts'));
    expect(TestBed.inject(PlanLimitPrompt).isShowing).toBe(false);
  });

  it('leaves other 403 problems to the snackbar', async () => {
    const loader = vi.fn(() => Promise.resolve(TestLimitDialog as Type<unknown>));
    const { notify, backend, request } = setUp(loader);
    const result = request('/api/v1/prompts');
    backend
      .expectOne('/api/v1/prompts')
      .flush(
        { title: 'Not allowed', status: 403, code: 'forbidden', detail: 'Only editors create prompts' },
        { status: 403, statusText: 'Forbidden', headers: PROBLEM_HEADERS },
      );
    await result;
    expect(notify).toHaveBeenCalledWith('Not allowed: Only editors create prompts');
    expect(loader).not.toHaveBeenCalled();
  });

  it('reads the extension members of the problem', () => {
    expect(
      readPlanLimit({
        type: 'x',
        title: 't',
        status: 403,
        code: 'plan_limit_reached',
        extensions: { limit: 'members', plan: 'starter', max: 10, current: 10 },
      }),
    ).toEqual({ limit: 'members', plan: 'starter', max: 10, current: 10, upgradeUrl: null });
    expect(readPlanLimit({ type: 'x', title: 't', status: 403, code: 'forbidden' })).toBeNull();
    expect(
      readPlanLimit({
        type: 'x',
        title: 't',
        status: 403,
        code: 'plan_limit_reached',
        extensions: { max: 'lots' },
      }),
    ).toEqual({ limit: 'unknown', plan: 'unknown', max: null, current: null, upgradeUrl: null });
  });
});
