import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { Me } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { AuditRetention, OrganizationSettings } from '../../data/organization-admin.api';
import { OrganizationSettingsPage } from './settings-page';

const PROBLEM = { 'Content-Type': 'application/problem+json' };
const me = (role: 'OWNER' | 'ADMIN'): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});
const SETTINGS: OrganizationSettings = {
  defaultRole: 'EDITOR',
  allowedEmailDomains: ['acme.example'],
  membersMayExport: true,
  viewersMayRun: false,
  sessionTtlMinutes: null,
  requireTestRunForProduction: false,
  updatedAt: null,
};
const RETENTION: AuditRetention = { days: null, planMaxDays: 30, effectiveDays: 30 };

async function render(role: 'OWNER' | 'ADMIN' = 'OWNER') {
  TestBed.configureTestingModule({
    imports: [OrganizationSettingsPage],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideRouter([]),
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const fixture = TestBed.createComponent(OrganizationSettingsPage);
  TestBed.tick();
  backend.expectOne('/api/v1/organizations/o1').flush({ id: 'o1', name: 'Acme', slug: 'acme', plan: 'free' });
  backend.expectOne('/api/v1/organizations/o1/settings').flush(SETTINGS);
  backend.expectOne('/api/v1/organizations/o1/audit-retention').flush(RETENTION);
  await fixture.whenStable();
  return { fixture, backend, root: fixture.nativeElement as HTMLElement };
}

function field(root: HTMLElement, label: string): HTMLInputElement {
  const control = Array.from(root.querySelectorAll('mat-form-field'))
    .find((f) => f.querySelector('mat-label')?.textContent?.trim() === label)
    ?.querySelector<HTMLInputElement>('input');
  if (!control) throw new Error(`No field labelled ${label}`);
  return control;
}

function type(root: HTMLElement, label: string, value: string): void {
  const input = field(root, label);
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

const settle = async (fixture: { whenStable: () => Promise<unknown> }) => {
  await fixture.whenStable();
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
};

describe('OrganizationSettingsPage', () => {
  it('turns an emptied name red and focuses it when saved (FocusInvalid), sending nothing', async () => {
    const { fixture, backend, root } = await render();
    document.body.append(root);
    type(root, 'Name', '');
    getByRole(root, 'button', 'Save name and slug').click();
    await settle(fixture);
    expect(document.activeElement).toBe(field(root, 'Name'));
    expect(field(root, 'Name').closest('mat-form-field')!.classList).toContain('mat-form-field-invalid');
    backend.expectNone((request) => request.method === 'PATCH');
    root.remove();
    // The first spec of the file also pays for the page's compilation.
  }, 15_000);

  it('fills every section from the API, with the domains as chips and the plan bound of retention', async () => {
    const { root } = await render();
    expect(field(root, 'Name').value).toBe('Acme');
    expect(field(root, 'Slug').value).toBe('acme');
    expect(getByRole(root, 'button', 'Remove acme.example')).toBeTruthy();
    expect(root.textContent).toContain('at most 30 days');
    expect(getByRole(root, 'button', 'Delete organization…')).toBeTruthy();
  });

  it('hides deleting from an ADMIN', async () => {
    const { root } = await render('ADMIN');
    expect(queryAllByRole(root, 'button', 'Delete organization…')).toHaveLength(0);
  });

  it('re-slugs the organization and shows a taken slug under the field', async () => {
    const { root, fixture, backend } = await render();
    type(root, 'Slug', 'acme-two');
    getByRole(root, 'button', 'Save name and slug').click();
    const patch = backend.expectOne({ method: 'PATCH', url: '/api/v1/organizations/o1' });
    expect(patch.request.body).toEqual({ slug: 'acme-two' });
    patch.flush(
      { title: 'Conflict', status: 409, code: 'organization_slug_taken', detail: 'taken' },
      { status: 409, statusText: 'Conflict', headers: PROBLEM },
    );
    await settle(fixture);
    expect(root.textContent).toContain('Another organization already uses this slug');
  });

  it('saves the data policies with the domains added and removed', async () => {
    const { root, fixture, backend } = await render();
    getByRole(root, 'button', 'Remove acme.example').click();
    const chipInput = root.querySelector(
      'input[aria-label="Add an allowed e-mail domain"]',
    ) as HTMLInputElement;
    chipInput.value = 'Corp.Example';
    chipInput.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13, bubbles: true }));
    type(root, 'Session lifetime (minutes)', '120');
    await fixture.whenStable();
    getByRole(root, 'button', 'Save policies').click();
    const patch = backend.expectOne({ method: 'PATCH', url: '/api/v1/organizations/o1/settings' });
    expect(patch.request.body).toEqual({
      defaultRole: 'EDITOR',
      membersMayExport: true,
      viewersMayRun: false,
      requireTestRunForProduction: false,
      sessionTtlMinutes: 120,
      allowedEmailDomains: ['corp.example'],
    });
    patch.flush({ ...SETTINGS, allowedEmailDomains: ['corp.example'], sessionTtlMinutes: 120 });
    await settle(fixture);
  });

  it('refuses a session lifetime out of range before calling the API', async () => {
    const { root, fixture, backend } = await render();
    type(root, 'Session lifetime (minutes)', '2');
    getByRole(root, 'button', 'Save policies').click();
    await fixture.whenStable();
    backend.expectNone({ method: 'PATCH' });
    expect(root.textContent).toContain('Between 5 and 43200 minutes');
  });

  it('saves the audit retention and explains a plan limit', async () => {
    const { root, fixture, backend } = await render();
    type(root, 'Keep audit events (days)', '365');
    getByRole(root, 'button', 'Save retention').click();
    const put = backend.expectOne({ method: 'PUT', url: '/api/v1/organizations/o1/audit-retention' });
    expect(put.request.body).toEqual({ days: 365 });
    put.flush(
      {
        title: 'Forbidden',
        status: 403,
        code: 'plan_limit_reached',
        limit: 'auditRetention',
        plan: 'free',
        max: 30,
      },
      { status: 403, statusText: 'Forbidden', headers: PROBLEM },
    );
    await settle(fixture);
    expect(getByRole(root, 'alert').textContent).toContain('Upgrade to keep them longer');
  });
});
