import {
  HttpClient,
  HttpContext,
  HttpErrorResponse,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ErrorNotifier } from './error-notifier';
import { ProblemError } from './problem';
import { problemInterceptor, SILENT_ERRORS } from './problem.interceptor';

const PROBLEM_HEADERS = { 'Content-Type': 'application/problem+json' };

describe('problemInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let notify: ReturnType<typeof vi.fn<(message: string) => void>>;

  beforeEach(() => {
    notify = vi.fn<(message: string) => void>();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([problemInterceptor])),
        provideHttpClientTesting(),
        { provide: ErrorNotifier, useValue: { notify } },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  function request(url = '/api/v1/prompts/1', context?: HttpContext): Promise<unknown> {
    return new Promise((resolve) => {
      http.get(url, { context }).subscribe({ next: () => resolve('no error'), error: resolve });
    });
  }

  it('shows title, detail and request id of a problem and rethrows it typed', async () => {
    const result = request();
    backend.expectOne('/api/v1/prompts/1').flush(
      {
        type: 'https://promptvault.dev/problems/not-found',
        title: 'Not Found',
        status: 404,
        detail: 'Prompt 1 does not exist',
        instance: '/api/v1/prompts/1',
        requestId: 'req-42',
      },
      { status: 404, statusText: 'Not Found', headers: PROBLEM_HEADERS },
    );

    const error = await result;
    expect(notify).toHaveBeenCalledTimes(1);
    expect(notify).toHaveBeenCalledWith('Not Found: Prompt 1 does not exist (request req-42)');
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(404);
    expect((error as ProblemError).notified).toBe(true);
  });

  it('falls back to the X-Request-Id header when the body has no request id', async () => {
    const result = request();
    backend
      .expectOne('/api/v1/prompts/1')
      .flush(
        { type: 'about:blank', title: 'Conflict', status: 409, detail: 'Stale version' },
        { status: 409, statusText: 'Conflict', headers: { ...PROBLEM_HEADERS, 'X-Request-Id': 'hdr-7' } },
      );
    await result;
    expect(notify).toHaveBeenCalledWith('Conflict: Stale version (request hdr-7)');
  });

  it('rethrows a 400 with field errors for inline display, without a snackbar', async () => {
    const result = request();
    backend.expectOne('/api/v1/prompts/1').flush(
      {
        type: 'https://promptvault.dev/problems/bad-request',
        title: 'Bad Request',
        status: 400,
        detail: 'Invalid input',
        requestId: 'req-1',
        errors: [
          { field: 'title', message: 'title should not be empty' },
          { field: 'title', message: 'title must be a string' },
          { field: 'content', message: 'content should not be empty' },
        ],
      },
      { status: 400, statusText: 'Bad Request', headers: PROBLEM_HEADERS },
    );

    const error = await result;
    expect(notify).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).notified).toBe(false);
    expect((error as ProblemError).fieldErrors()).toEqual({
      title: ['This field is required.', 'Enter text.'],
      content: ['This field is required.'],
    });
  });

  it('still shows a 400 problem that has no field errors', async () => {
    const result = request();
    backend.expectOne('/api/v1/prompts/1').flush(
      {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The request body is not valid JSON',
      },
      { status: 400, statusText: 'Bad Request', headers: PROBLEM_HEADERS },
    );
    await result;
    expect(notify).toHaveBeenCalledWith('Bad Request: The request body is not valid JSON');
  });

  it('reports a network failure as "Cannot reach the server"', async () => {
    const result = request();
    backend.expectOne('/api/v1/prompts/1').error(new ProgressEvent('error'), { status: 0 });
    const error = await result;
    expect(notify).toHaveBeenCalledWith('Cannot reach the server');
    expect(error).toBeInstanceOf(HttpErrorResponse);
  });

  it('leaves errors that are not problem documents to the caller', async () => {
    const result = request();
    backend.expectOne('/api/v1/prompts/1').flush('<html>Bad gateway</html>', {
      status: 502,
      statusText: 'Bad Gateway',
      headers: { 'Content-Type': 'text/html' },
    });
    const error = await result;
    expect(notify).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(HttpErrorResponse);
    expect((error as HttpErrorResponse).status).toBe(502);
  });

  it('stays silent for requests marked SILENT_ERRORS but still types the error', async () => {
    const result = request('/api/v1/health', new HttpContext().set(SILENT_ERRORS, true));
    backend
      .expectOne('/api/v1/health')
      .flush(
        { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'database is down' },
        { status: 503, statusText: 'Service Unavailable', headers: PROBLEM_HEADERS },
      );
    const error = await result;
    expect(notify).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).notified).toBe(false);
  });
});
