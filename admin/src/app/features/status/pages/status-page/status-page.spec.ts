import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { StatusPage } from './status-page';

async function render() {
  const notify = vi.fn();
  TestBed.configureTestingModule({
    imports: [StatusPage],
    providers: [
      provideHttpClient(withInterceptors([problemInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      provideRouter([]),
      { provide: ErrorNotifier, useValue: { notify } },
    ],
  });
  const fixture = TestBed.createComponent(StatusPage);
  await fixture.whenStable();
  return {
    fixture,
    notify,
    root: fixture.nativeElement as HTMLElement,
    backend: TestBed.inject(HttpTestingController),
  };
}

const PROBLEM_HEADERS = { 'Content-Type': 'application/problem+json' };

describe('StatusPage', () => {
  it('shows a loading bar, then every check with its status and driver', async () => {
    const { root, fixture, backend } = await render();
    expect(getByRole(root, 'progressbar', 'Loading system status').tagName).toBe('PV-SKELETON');

    backend.expectOne('/api/v1/health/details').flush({
      status: 'ok',
      info: {},
      error: {},
      details: {
        search: { status: 'up', driver: 'postgres' },
        database: { status: 'up', driver: 'pglite' },
        queue: { status: 'up', driver: 'inline' },
      },
    });
    await fixture.whenStable();

    expect(queryAllByRole(root, 'progressbar')).toHaveLength(0);
    expect(getByRole(root, 'status').textContent).toContain('All systems operational');
    const checks = queryAllByRole(getByRole(root, 'list', 'Health checks'), 'listitem');
    expect(checks.map((c) => c.querySelector('h3')?.textContent)).toEqual(['Database', 'Queue', 'Search']);
    const database = getByRole(root, 'listitem', 'Database');
    expect(database.querySelector('[data-testid="check-status"]')?.textContent?.trim()).toBe('up');
    expect(database.textContent).toContain('driver');
    expect(database.textContent).toContain('pglite');
    // "up" in the success colour, with an icon and the word, not colour alone.
    const status = database.querySelector<HTMLElement>('[data-testid="check-status"]')!;
    expect(status.classList).toContain('up');
    expect(database.querySelector('mat-icon')?.getAttribute('data-mat-icon-name')).toBe('check_circle');
    expect(getByRole(root, 'status').classList).toContain('ok');
  });

  it('asks to sign in when the report is for signed-in users (401), without an error notice', async () => {
    const { root, fixture, backend, notify } = await render();
    backend
      .expectOne('/api/v1/health/details')
      .flush(
        { title: 'Unauthenticated', status: 401, code: 'unauthenticated' },
        { status: 401, statusText: 'Unauthorized', headers: PROBLEM_HEADERS },
      );
    await fixture.whenStable();

    expect(getByRole(root, 'heading', 'Sign in to see the system status')).toBeTruthy();
    expect(getByRole(root, 'link', 'Sign in').getAttribute('href')).toBe('/sign-in?returnUrl=%2Fstatus');
    expect(queryAllByRole(root, 'alert')).toHaveLength(0);
    expect(queryAllByRole(root, 'list', 'Health checks')).toHaveLength(0);
    expect(notify).not.toHaveBeenCalled();
  });

  it('shows the report of a 503 as failing checks, not as an error', async () => {
    const { root, fixture, backend, notify } = await render();
    backend.expectOne('/api/v1/health/details').flush(
      {
        status: 'error',
        info: { database: { status: 'up', driver: 'postgres' } },
        error: { queue: { status: 'down', message: 'connect ECONNREFUSED' } },
        details: {
          database: { status: 'up', driver: 'postgres' },
          queue: { status: 'down', message: 'connect ECONNREFUSED' },
        },
      },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await fixture.whenStable();

    expect(getByRole(root, 'status').textContent).toContain('Some checks are failing');
    const queue = getByRole(root, 'listitem', 'Queue');
    expect(queue.querySelector('[data-testid="check-status"]')?.textContent?.trim()).toBe('down');
    expect(notify).not.toHaveBeenCalled();
  });

  it('shows an inline error with the request id when the report cannot be read', async () => {
    const { root, fixture, backend, notify } = await render();
    backend
      .expectOne('/api/v1/health/details')
      .flush(
        { title: 'Internal Server Error', status: 500, detail: 'Unexpected failure', requestId: 'r-9' },
        { status: 500, statusText: 'Internal Server Error', headers: PROBLEM_HEADERS },
      );
    await fixture.whenStable();

    const alert = getByRole(root, 'alert');
    expect(alert.textContent).toContain('The health report is unavailable');
    expect(alert.textContent).toContain('Internal Server Error: Unexpected failure (request r-9)');
    expect(notify).not.toHaveBeenCalled();
  });

  it('reloads on Refresh', async () => {
    const { root, fixture, backend } = await render();
    backend.expectOne('/api/v1/health/details').error(new ProgressEvent('error'), { status: 0 });
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain('Cannot reach the server');

    getByRole(root, 'button', 'Refresh').click();
    await fixture.whenStable();
    backend
      .expectOne('/api/v1/health/details')
      .flush({ status: 'ok', details: { database: { status: 'up' } } });
    await fixture.whenStable();
    expect(queryAllByRole(root, 'alert')).toHaveLength(0);
    expect(getByRole(root, 'listitem', 'Database')).toBeTruthy();
  });
});
