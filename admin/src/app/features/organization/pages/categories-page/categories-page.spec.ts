import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { getByRole, memoryStorage } from '../../../../../testing/test-helpers';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { Category } from '../../data/taxonomy-admin.api';
import { CategoriesPage } from './categories-page';

const category = (id: string, name: string, promptCount: number): Category => ({
  id,
  name,
  description: null,
  promptCount,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const settle = async (fixture: { whenStable: () => Promise<unknown> }) => {
  await fixture.whenStable();
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
};
const dialogRoot = () => document.querySelector('.cdk-overlay-container') as HTMLElement;

async function render(items: Category[] | 'failed') {
  TestBed.configureTestingModule({
    imports: [CategoriesPage],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(CategoriesPage);
  await fixture.whenStable();
  const list = backend.expectOne((r) => r.url === '/api/v1/categories');
  if (items === 'failed') list.flush(null, { status: 500, statusText: 'Server Error' });
  else list.flush({ items, nextCursor: null });
  await settle(fixture);
  return { fixture, backend, root: fixture.nativeElement as HTMLElement };
}

describe('CategoriesPage', () => {
  afterEach(() => document.querySelector('.cdk-overlay-container')?.replaceChildren());

  it('lists categories with their prompt counts', async () => {
    const { root } = await render([category('c1', 'Engineering', 4), category('c2', 'Sales', 0)]);
    const rows = Array.from(root.querySelectorAll('tr[mat-row]')).map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('Engineering');
    expect(rows[0]).toContain('4');
    expect(rows[1]).toContain('Sales');
  });

  it('creates a category with a description and lists it in name order', async () => {
    const { root, fixture, backend } = await render([category('c2', 'Sales', 0)]);
    getByRole(root, 'button', 'New category').click();
    await settle(fixture);
    const dialog = dialogRoot();
    const [name, description] = Array.from(dialog.querySelectorAll<HTMLInputElement>('input, textarea'));
    name.value = ' Legal ';
    name.dispatchEvent(new Event('input'));
    description.value = 'Contracts';
    description.dispatchEvent(new Event('input'));
    getByRole(dialog, 'button', 'Create').click();
    const post = backend.expectOne({ method: 'POST', url: '/api/v1/categories' });
    expect(post.request.body).toEqual({ name: 'Legal', description: 'Contracts' });
    post.flush({ ...category('c3', 'Legal', 0), description: 'Contracts' });
    await settle(fixture);
    const rows = Array.from(root.querySelectorAll('tr[mat-row]')).map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('Legal');
    expect(rows[1]).toContain('Sales');
  });

  it('deletes a category after saying its prompts become uncategorized', async () => {
    const { root, fixture, backend } = await render([category('c1', 'Engineering', 4)]);
    getByRole(root, 'button', 'Delete Engineering').click();
    await settle(fixture);
    expect(dialogRoot().textContent).toContain('Its 4 prompt(s)');
    getByRole(dialogRoot(), 'button', 'Delete category').click();
    await settle(fixture);
    // The confirmation answers once its closing animation has finished.
    await new Promise((resolve) => setTimeout(resolve, 400));
    backend
      .expectOne({ method: 'DELETE', url: '/api/v1/categories/c1' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);
    expect(root.textContent).toContain('No categories');
  });

  it('offers rename and delete but no merge, and edits name and description (cleared: null)', async () => {
    const { root, fixture, backend } = await render([
      { ...category('c1', 'Engineering', 4), description: 'Builders' },
    ]);
    expect(root.textContent).toContain('Builders');
    expect(root.querySelector('[aria-label="Merge Engineering"]')).toBeNull();
    getByRole(root, 'button', 'Rename Engineering').click();
    await settle(fixture);
    const dialog = dialogRoot();
    expect(dialog.textContent).toContain('Edit Engineering');
    const [name, description] = Array.from(dialog.querySelectorAll<HTMLInputElement>('input, textarea'));
    expect(description.value).toBe('Builders');
    name.value = 'Platform';
    name.dispatchEvent(new Event('input'));
    description.value = '';
    description.dispatchEvent(new Event('input'));
    getByRole(dialog, 'button', 'Save').click();
    const patch = backend.expectOne({ method: 'PATCH', url: '/api/v1/categories/c1' });
    expect(patch.request.body).toEqual({ name: 'Platform', description: null });
    patch.flush(category('c1', 'Platform', 4));
    await settle(fixture);
    expect(root.textContent).toContain('Platform');
    expect(root.textContent).not.toContain('Builders');
  });

  it('says so when the categories could not be loaded', async () => {
    const { root } = await render('failed');
    expect(root.textContent).toContain('The categories could not be loaded.');
    expect(root.textContent).not.toContain('No categories');
  });

  it('shows a failed delete above the table and keeps the row', async () => {
    const { root, fixture, backend } = await render([category('c1', 'Engineering', 4)]);
    getByRole(root, 'button', 'Delete Engineering').click();
    await settle(fixture);
    getByRole(dialogRoot(), 'button', 'Delete category').click();
    await settle(fixture);
    await new Promise((resolve) => setTimeout(resolve, 400));
    backend
      .expectOne({ method: 'DELETE', url: '/api/v1/categories/c1' })
      .flush(
        {
          title: 'Forbidden',
          status: 403,
          code: 'forbidden',
          detail: 'Only owners and admins manage categories.',
        },
        { status: 403, statusText: 'Forbidden', headers: { 'Content-Type': 'application/problem+json' } },
      );
    await settle(fixture);
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'Only owners and admins manage categories.',
    );
    expect(root.querySelector('tr[mat-row]')?.textContent).toContain('Engineering');
  });
});
