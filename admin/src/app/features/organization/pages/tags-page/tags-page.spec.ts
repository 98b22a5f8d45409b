import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { Tag } from '../../data/taxonomy-admin.api';
import { TagsPage } from './tags-page';

const PROBLEM = { 'Content-Type': 'application/problem+json' };
const tag = (id: string, name: string, usage: number): Tag => ({
  id,
  name,
  usage,
  createdAt: '2026-01-01T00:00:00.000Z',
});

async function render(items: Tag[], nextCursor: string | null = null) {
  TestBed.configureTestingModule({
    imports: [TagsPage],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(TagsPage);
  await fixture.whenStable();
  backend.expectOne((r) => r.url === '/api/v1/tags' && !r.params.has('cursor')).flush({ items, nextCursor });
  await settle(fixture);
  return { fixture, backend, root: fixture.nativeElement as HTMLElement };
}

const settle = async (fixture: { whenStable: () => Promise<unknown> }) => {
  await fixture.whenStable();
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
};

const dialogRoot = () => document.querySelector('.cdk-overlay-container') as HTMLElement;

describe('TagsPage', () => {
  afterEach(() => document.querySelector('.cdk-overlay-container')?.replaceChildren());

  it('lists tags with their usage, says so when there are none, and loads more pages', async () => {
    const { root, fixture, backend } = await render([tag('t1', 'alpha', 3)], 'c2');
    expect(root.textContent).toContain('alpha');
    expect(root.textContent).toContain('3');
    getByRole(root, 'button', 'Load more tags').click();
    backend
      .expectOne((r) => r.url === '/api/v1/tags' && r.params.get('cursor') === 'c2')
      .flush({
        items: [tag('t2', 'beta', 1)],
        nextCursor: null,
      });
    await settle(fixture);
    expect(root.textContent).toContain('beta');
    expect(queryAllByRole(root, 'button', 'Load more tags')).toHaveLength(0);
  });

  it('shows the empty state', async () => {
    const { root } = await render([]);
    expect(root.textContent).toContain('No tags yet');
  });

  it('merges a tag into another and keeps the survivor with its new usage', async () => {
    const { root, fixture, backend } = await render([tag('t1', 'summarise', 2), tag('t2', 'summarize', 5)]);
    getByRole(root, 'button', 'Merge summarise').click();
    await settle(fixture);
    const dialog = dialogRoot();
    getByRole(dialog, 'combobox').click();
    await settle(fixture);
    (
      Array.from(document.querySelectorAll('mat-option')).find((o) =>
        o.textContent?.includes('summarize'),
      ) as HTMLElement
    ).click();
    await settle(fixture);
    getByRole(dialog, 'button', 'Merge').click();
    const merge = backend.expectOne({ method: 'POST', url: '/api/v1/tags/t1/merge' });
    expect(merge.request.body).toEqual({ into: 't2' });
    merge.flush(tag('t2', 'summarize', 7));
    await settle(fixture);
    expect(root.textContent).not.toContain('summarise');
    expect(root.textContent).toContain('7');
  });

  it('renames a tag and shows a taken name in the dialog', async () => {
    const { root, fixture, backend } = await render([tag('t1', 'alpha', 1)]);
    getByRole(root, 'button', 'Rename alpha').click();
    await settle(fixture);
    const dialog = dialogRoot();
    const input = dialog.querySelector('input') as HTMLInputElement;
    input.value = 'Beta';
    input.dispatchEvent(new Event('input'));
    getByRole(dialog, 'button', 'Rename').click();
    backend
      .expectOne({ method: 'PATCH', url: '/api/v1/tags/t1' })
      .flush(
        { title: 'Conflict', status: 409, code: 'tag_name_taken', detail: 'taken' },
        { status: 409, statusText: 'Conflict', headers: PROBLEM },
      );
    await settle(fixture);
    expect(dialog.textContent).toContain('Another tag already has this name');
  });

  it('deletes a tag after confirmation', async () => {
    const { root, fixture, backend } = await render([tag('t1', 'alpha', 1)]);
    getByRole(root, 'button', 'Delete alpha').click();
    await settle(fixture);
    getByRole(dialogRoot(), 'button', 'Delete tag').click();
    await settle(fixture);
    // The confirmation answers once its closing animation has finished.
    await new Promise((resolve) => setTimeout(resolve, 400));
    backend
      .expectOne({ method: 'DELETE', url: '/api/v1/tags/t1' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);
    expect(root.textContent).toContain('No tags yet');
  });

  it('says which tag could not be deleted when the server gives no reason, and keeps the row', async () => {
    const { root, fixture, backend } = await render([tag('t1', 'alpha', 1)]);
    getByRole(root, 'button', 'Delete alpha').click();
    await settle(fixture);
    expect(dialogRoot().textContent).toContain('removed from 1 prompt(s)');
    getByRole(dialogRoot(), 'button', 'Delete tag').click();
    await settle(fixture);
    await new Promise((resolve) => setTimeout(resolve, 400));
    backend
      .expectOne({ method: 'DELETE', url: '/api/v1/tags/t1' })
      .flush('boom', { status: 502, statusText: 'Bad Gateway' });
    await settle(fixture);
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('The tag could not be deleted.');
    expect(root.querySelector('tr[mat-row]')?.textContent).toContain('alpha');
  });
});
