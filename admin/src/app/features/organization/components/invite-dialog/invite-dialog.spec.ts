import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { getByRole, memoryStorage } from '../../../../../testing/test-helpers';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { InviteLinks } from '../../data/invite-links';
import { MembersStore } from '../../data/organization.store';
import { ROLE_DESCRIPTIONS } from '../../../../shared/ui/role-description/role-descriptions';
import { InviteDialog, InviteDialogData } from './invite-dialog';

const PROBLEM = { 'Content-Type': 'application/problem+json' };

async function render() {
  const ref = { close: vi.fn(), disableClose: false };
  const notify = vi.fn();
  const data: InviteDialogData = { roles: ['ADMIN', 'EDITOR', 'VIEWER'] };
  TestBed.configureTestingModule({
    imports: [InviteDialog],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      MembersStore,
      { provide: ErrorNotifier, useValue: { notify } },
      { provide: MAT_DIALOG_DATA, useValue: data },
      { provide: MatDialogRef, useValue: ref },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush({
    id: 'u1',
    email: 'ada@example.com',
    name: 'Ada',
    emailVerified: true,
    memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role: 'ADMIN' }],
  });
  const fixture = TestBed.createComponent(InviteDialog);
  TestBed.tick();
  // The page's store lists members and invitations (the dialog shares it with the page).
  backend.expectOne('/api/v1/organizations/o1/members').flush([]);
  backend.expectOne('/api/v1/organizations/o1/invites').flush([]);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  const email = root.querySelector<HTMLInputElement>('input[type="email"]')!;
  email.value = 'bob@example.com';
  email.dispatchEvent(new Event('input'));
  return { root, fixture, backend, ref, notify };
}

describe('InviteDialog', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('an empty invite turns the e-mail field red and focuses it (FocusInvalid), sending nothing', async () => {
    const { root, fixture } = await render();
    document.body.append(root);
    const email = root.querySelector<HTMLInputElement>('input[type="email"]')!;
    email.value = '';
    email.dispatchEvent(new Event('input'));
    getByRole(root, 'button', 'Send invitation').click();
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    expect(document.activeElement).toBe(email);
    expect(email.closest('mat-form-field')!.classList).toContain('mat-form-field-invalid');
    expect(root.textContent).toContain('Enter an e-mail address');
    root.remove();
  });

  it('invites, shows the link to copy, and the page list is refreshed through the store', async () => {
    const { root, fixture, backend, ref } = await render();
    getByRole(root, 'button', 'Send invitation').click();
    const req = backend.expectOne('/api/v1/organizations/o1/invites');
    expect(req.request.body).toEqual({ email: 'bob@example.com', role: 'EDITOR' });
    req.flush({
      id: 'i1',
      email: 'bob@example.com',
      role: 'EDITOR',
      expiresAt: '2026-12-12T00:00:00Z',
      inviteUrl: 'http://localhost/invites/accept?token=t',
    });
    TestBed.tick();
    backend.expectOne('/api/v1/organizations/o1/invites').flush([]);
    await fixture.whenStable();
    expect(getByRole(root, 'status').textContent).toContain('Invitation sent to bob@example.com as EDITOR');
    expect(root.querySelector<HTMLInputElement>('input[readonly]')?.value).toBe(
      'http://localhost/invites/accept?token=t',
    );
    expect(TestBed.inject(InviteLinks).get('i1')).toBe('http://localhost/invites/accept?token=t');
    expect(ref.disableClose).toBe(true);
    getByRole(root, 'button', 'Done').click();
    expect(ref.close).toHaveBeenCalledWith(expect.objectContaining({ id: 'i1' }));
  });

  it('describes each role where it is chosen: under the field and in every option', async () => {
    const { root, fixture } = await render();
    expect(root.querySelector('mat-hint')?.textContent).toContain(ROLE_DESCRIPTIONS.EDITOR);
    root.querySelector<HTMLElement>('.mat-mdc-select-trigger')!.click();
    await fixture.whenStable();
    const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
    expect(options.map((o) => o.querySelector('.role')?.textContent)).toEqual(['ADMIN', 'EDITOR', 'VIEWER']);
    expect(options.map((o) => o.querySelector('.description')?.textContent)).toEqual([
      ROLE_DESCRIPTIONS.ADMIN,
      ROLE_DESCRIPTIONS.EDITOR,
      ROLE_DESCRIPTIONS.VIEWER,
    ]);
    options[2].click();
    await fixture.whenStable();
    expect(root.querySelector('.mat-mdc-select-value')?.textContent?.trim()).toBe('VIEWER');
    expect(root.querySelector('mat-hint')?.textContent).toContain(ROLE_DESCRIPTIONS.VIEWER);
  });

  it('puts already_member under the e-mail field, without a snackbar', async () => {
    const { root, fixture, backend, ref, notify } = await render();
    getByRole(root, 'button', 'Send invitation').click();
    backend
      .expectOne('/api/v1/organizations/o1/invites')
      .flush(
        { title: 'Conflict', status: 409, code: 'already_member' },
        { status: 409, statusText: 'Conflict', headers: PROBLEM },
      );
    await fixture.whenStable();
    expect(root.querySelector('mat-error')?.textContent).toContain('already a member');
    expect(notify).not.toHaveBeenCalled();
    expect(ref.close).not.toHaveBeenCalled();
  });
});
