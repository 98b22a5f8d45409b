import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { CreateOrganizationDialog } from './create-organization-dialog';

const PROBLEM = { 'Content-Type': 'application/problem+json' };

async function render() {
  const close = vi.fn();
  const notify = vi.fn();
  TestBed.configureTestingModule({
    imports: [CreateOrganizationDialog],
    providers: [
      provideHttpClient(withInterceptors([problemInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify } },
      { provide: MatDialogRef, useValue: { close } },
    ],
  });
  const fixture = TestBed.createComponent(CreateOrganizationDialog);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  const fill = (label: string, value: string) => {
    const field = Array.from(root.querySelectorAll('mat-form-field')).find(
      (f) => f.querySelector('mat-label')?.textContent?.trim() === label,
    )!;
    const input = field.querySelector('input')!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  return { root, fixture, close, notify, fill, backend: TestBed.inject(HttpTestingController) };
}

describe('CreateOrganizationDialog', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('asks for a name before calling the API', async () => {
    const { root, fixture, backend } = await render();
    getByRole(root, 'button', 'Create').click();
    await fixture.whenStable();
    backend.expectNone('/api/v1/organizations');
    expect(root.querySelector('mat-error')?.textContent).toContain('Enter a name');
  });

  it('puts a taken slug (organization_slug_taken) under the slug field, without a snackbar', async () => {
    const { root, fixture, backend, close, notify, fill } = await render();
    fill('Name', 'Acme');
    fill('Slug (optional)', 'acme');
    getByRole(root, 'button', 'Create').click();
    const req = backend.expectOne('/api/v1/organizations');
    expect(req.request.body).toEqual({ name: 'Acme', slug: 'acme' });
    req.flush(
      { title: 'Conflict', status: 409, code: 'organization_slug_taken', detail: 'Server wording' },
      { status: 409, statusText: 'Conflict', headers: PROBLEM },
    );
    await fixture.whenStable();
    const slugField = Array.from(root.querySelectorAll('mat-form-field')).find((f) =>
      f.textContent?.includes('Slug'),
    )!;
    expect(slugField.querySelector('mat-error')?.textContent).toContain(
      'Another organization already uses this slug',
    );
    expect(queryAllByRole(root, 'alert').filter((a) => a.tagName === 'P')).toHaveLength(0);
    expect(notify).not.toHaveBeenCalled();
    expect(close).not.toHaveBeenCalled();
    expect(getByRole(root, 'button', 'Create').hasAttribute('disabled')).toBe(false);
  });
});
