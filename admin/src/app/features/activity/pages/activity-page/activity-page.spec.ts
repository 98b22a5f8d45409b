import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { ActivityEntry } from '../../data/activity.api';
import { ActivityPage } from './activity-page';

const entry = (id: string, summary: string, target: ActivityEntry['target']): ActivityEntry => ({
  id,
  occurredAt: '2026-12-01T10:00:00.000Z',
  actor: { id: 'u1', name: 'Ada', email: 'ada@example.com' },
  action: `${target.type}.created`,
  target,
  summary,
});

const settle = async (fixture: { whenStable: () => Promise<unknown> }) => {
  await fixture.whenStable();
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
};

function render(inputs: Record<string, string> = {}) {
  TestBed.configureTestingModule({
    imports: [ActivityPage],
    providers: [
      memoryStorage({ [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideRouter([]),
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(ActivityPage);
  for (const [key, value] of Object.entries(inputs)) fixture.componentRef.setInput(key, value);
  TestBed.tick();
  backend.expectOne('/api/v1/organizations/o1/members').flush([
    {
      userId: 'u1',
      email: 'ada@example.com',
      name: 'Ada',
      role: 'ADMIN',
      joinedAt: '2026-01-01T00:00:00.000Z',
    },
  ]);
  return { fixture, backend, root: fixture.nativeElement as HTMLElement };
}

describe('ActivityPage', () => {
  it('sends the filters from the URL, links entries to their prompts and pages on', async () => {
    const { fixture, backend, root } = render({ actorId: 'u1', type: 'prompt' });
    const first = backend.expectOne((r) => r.url === '/api/v1/activity' && !r.params.has('cursor'));
    expect(first.request.params.get('actorId')).toBe('u1');
    expect(first.request.params.get('type')).toBe('prompt');
    expect(first.request.params.has('promptId')).toBe(false);
    first.flush({
      items: [entry('e1', 'Ada created "Triage"', { type: 'prompt', id: 'p1', title: 'Triage' })],
      nextCursor: 'next',
    });
    await settle(fixture);
    expect(root.textContent).toContain('Ada created "Triage"');
    expect(getByRole(root, 'link', 'Open prompt').getAttribute('href')).toBe('/prompts/p1');

    getByRole(root, 'button', 'Load more').click();
    backend
      .expectOne((r) => r.url === '/api/v1/activity' && r.params.get('cursor') === 'next')
      .flush({
        items: [entry('e2', 'Ada commented on "Triage"', { type: 'comment', id: 'c1', promptId: 'p1' })],
        nextCursor: null,
      });
    await settle(fixture);
    expect(queryAllByRole(root, 'link', 'Open prompt')).toHaveLength(2);
    expect(queryAllByRole(root, 'button', 'Load more')).toHaveLength(0);
  });

  it('ignores an unknown type from the URL, and narrows to a prompt through the URL', async () => {
    const { fixture, backend, root } = render({ type: 'member' });
    const request = backend.expectOne((r) => r.url === '/api/v1/activity');
    expect(request.request.params.has('type')).toBe(false);
    request.flush({
      items: [entry('e1', 'Ada created "Triage"', { type: 'prompt', id: 'p1', title: 'Triage' })],
      nextCursor: null,
    });
    await settle(fixture);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    getByRole(root, 'button', 'Only this prompt').click();
    expect(navigate).toHaveBeenCalledWith([], {
      queryParams: { actorId: null, promptId: 'p1', type: 'member' },
      replaceUrl: true,
    });
  });

  it('says when nothing matches and when loading failed', async () => {
    const { fixture, backend, root } = render();
    backend.expectOne((r) => r.url === '/api/v1/activity').flush({ items: [], nextCursor: null });
    await settle(fixture);
    expect(root.textContent).toContain('No activity');
    fixture.componentRef.setInput('type', 'tag');
    TestBed.tick();
    backend
      .expectOne((r) => r.url === '/api/v1/activity' && r.params.get('type') === 'tag')
      .flush({ title: 'Error', status: 500 }, { status: 500, statusText: 'Error' });
    await settle(fixture);
    expect(getByRole(root, 'alert').textContent).toContain('The activity could not be loaded');
  });
});
