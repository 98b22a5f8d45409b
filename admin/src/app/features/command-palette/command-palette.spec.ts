import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { memoryStorage } from '../../../testing/test-helpers';
import { Me, MembershipRole } from '../../core/api/api-types';
import { authInterceptor } from '../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../core/http/error-notifier';
import { problemInterceptor } from '../../core/http/problem.interceptor';
import { provideAppIcons } from '../../core/icons/app-icons';
import { SessionStore } from '../../core/session/session.store';
import { STORAGE_KEYS } from '../../core/storage/browser-storage';
import { ThemeService } from '../../core/theme/theme.service';
import { INSTANT_DEBOUNCE_MS } from '../search/data/quick-search.store';
import type { SearchResponse } from '../search/data/search.types';
import { CommandPalette } from './command-palette';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits for `done` (a dialog hands its result over once its close animation ended). */
async function until(done: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!done() && Date.now() - start < timeoutMs) await wait(10);
}

async function render(role: MembershipRole = 'EDITOR') {
  TestBed.configureTestingModule({
    imports: [CommandPalette],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideRouter([{ path: '**', children: [] }]),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: () => undefined } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const fixture = TestBed.createComponent(CommandPalette);
  await fixture.whenStable();
  const press = async (init: KeyboardEventInit, target: EventTarget = document.body) => {
    target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
    fixture.detectChanges();
    await fixture.whenStable();
  };
  const field = () => document.querySelector<HTMLInputElement>('pv-command-palette-dialog input');
  const options = () => [...document.querySelectorAll<HTMLElement>('[role="option"]')];
  const type = async (value: string) => {
    const input = field()!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    await fixture.whenStable();
  };
  return { fixture, backend, press, field, options, type };
}

describe('CommandPalette', () => {
  afterEach(() => {
    const backend = TestBed.inject(HttpTestingController);
    // Searches a test did not look at (the palette searches as the query is typed).
    for (const req of backend.match((r) => r.url === '/api/v1/search'))
      if (!req.cancelled)
        req.flush({ items: [], facets: null, total: 0, nextCursor: null, engine: 'postgres' });
    backend.verify();
    document.body.innerHTML = '';
  });

  it('opens on Ctrl+K (and Cmd+K), once, even from inside a field', async () => {
    const { press, field } = await render();
    expect(field()).toBeNull();
    const input = document.body.appendChild(document.createElement('input'));
    await press({ key: 'k', ctrlKey: true }, input);
    expect(field()).not.toBeNull();
    await press({ key: 'K', metaKey: true });
    expect(document.querySelectorAll('pv-command-palette-dialog')).toHaveLength(1);
  });

  it('jumps to a page with the arrow keys and Enter', async () => {
    const { press, field, options, type } = await render('OWNER');
    await press({ key: 'k', ctrlKey: true });
    await type('bill');
    expect(options()[0].textContent).toContain('Billing');
    const router = TestBed.inject(Router);
    const navigate = vi.spyOn(router, 'navigateByUrl');
    await press({ key: 'Enter' }, field()!);
    await until(() => navigate.mock.calls.length > 0);
    expect(navigate).toHaveBeenCalledWith('/billing');
  });

  it('finds prompts through search, without recording the search, and opens the chosen one', async () => {
    const { backend, press, field, options, type } = await render();
    await press({ key: 'k', ctrlKey: true });
    await type('summ');
    await wait(INSTANT_DEBOUNCE_MS + 30);
    const req = backend.expectOne((r) => r.url === '/api/v1/search');
    expect(req.request.params.get('q')).toBe('summ');
    expect(req.request.params.get('record')).toBe('false');
    const response: SearchResponse = {
      items: [
        {
          id: 'p1',
          slug: 'summarize',
          title: 'Summarize a document',
          description: '',
          tags: [],
          status: 'published',
          authorId: null,
          categoryId: null,
          updatedAt: '2026-12-01T00:00:00.000Z',
          score: 1,
          highlights: {},
        },
      ],
      facets: null,
      total: 1,
      nextCursor: null,
      engine: 'postgres',
    };
    req.flush(response);
    await wait(0);
    const prompt = options().findIndex((o) => o.textContent?.includes('Summarize a document'));
    expect(prompt).toBeGreaterThanOrEqual(0);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl');
    for (let i = 0; i < prompt; i++) await press({ key: 'ArrowDown' }, field()!);
    expect(field()!.getAttribute('aria-activedescendant')).toBe(options()[prompt].id);
    await press({ key: 'Enter' }, field()!);
    await until(() => navigate.mock.calls.length > 0);
    expect(navigate).toHaveBeenCalledWith('/prompts/p1');
  });

  it('says when nothing matches, and a failed search still leaves the pages', async () => {
    const { backend, press, options, type } = await render();
    await press({ key: 'k', ctrlKey: true });
    await type('zzzz');
    await wait(INSTANT_DEBOUNCE_MS + 30);
    backend
      .expectOne((r) => r.url === '/api/v1/search')
      .flush({}, { status: 503, statusText: 'Unavailable' });
    await wait(0);
    expect(options()).toHaveLength(0);
    expect(document.querySelector('pv-command-palette-dialog')?.textContent).toContain(
      'Nothing matches "zzzz"',
    );
  });

  it('toggles the theme as an action', async () => {
    const { press, field, type } = await render();
    const theme = TestBed.inject(ThemeService);
    const before = theme.isDark();
    await press({ key: 'k', ctrlKey: true });
    await type('theme');
    await press({ key: 'Enter' }, field()!);
    await until(() => theme.isDark() !== before);
    expect(theme.isDark()).toBe(!before);
  });

  it('shows the shortcut sheet on ?, but not while typing', async () => {
    const { press } = await render();
    const input = document.body.appendChild(document.createElement('input'));
    await press({ key: '?' }, input);
    expect(document.querySelector('pv-shortcuts-dialog')).toBeNull();
    await press({ key: '?' });
    const sheet = document.querySelector('pv-shortcuts-dialog');
    expect(sheet?.textContent).toContain('Open the command palette');
    expect(sheet?.textContent).toContain('Run the prompt');
    expect(sheet?.textContent).toContain('Save the prompt');
  });
});
