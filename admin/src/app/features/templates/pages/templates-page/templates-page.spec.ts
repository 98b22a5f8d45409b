import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { of } from 'rxjs';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { TemplatePreviewDialog } from '../../components/template-preview-dialog/template-preview-dialog';
import { flushCollections, TEMPLATES } from '../../testing/templates-fixtures';
import { TemplatesPage } from './templates-page';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});

async function render(role: MembershipRole, dialogResult: unknown = undefined) {
  const open = vi.fn(() => ({ afterClosed: () => of(dialogResult) }));
  const navigate = vi.fn(() => Promise.resolve(true));
  TestBed.configureTestingModule({
    imports: [TemplatesPage],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      { provide: MatDialog, useValue: { open } },
      { provide: Router, useValue: { navigate } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const fixture = TestBed.createComponent(TemplatesPage);
  TestBed.tick();
  backend.expectOne('/api/v1/templates').flush(TEMPLATES);
  flushCollections(backend);
  await fixture.whenStable();
  return { fixture, backend, open, navigate, root: fixture.nativeElement as HTMLElement };
}

describe('TemplatesPage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows cards grouped by category; a VIEWER may preview but not use', async () => {
    const { root } = await render('VIEWER');
    expect(queryAllByRole(root, 'heading').map((h) => h.textContent?.trim())).toEqual(
      expect.arrayContaining(['Coding', 'Sales', 'Writing']),
    );
    expect(queryAllByRole(root, 'button', /^Preview /)).toHaveLength(TEMPLATES.length);
    expect(queryAllByRole(root, 'button', /^Use template/)).toHaveLength(0);
    expect(root.textContent).toContain('needs the EDITOR role');
  });

  it('filters by the search box and says when nothing matches', async () => {
    const { root, fixture } = await render('EDITOR');
    const input = root.querySelector('input[type="search"]') as HTMLInputElement;
    input.value = 'edge cases';
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(queryAllByRole(root, 'button', /^Preview /).map((b) => b.getAttribute('aria-label'))).toEqual([
      'Preview Unit tests',
    ]);
    input.value = 'zzz';
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(root.textContent).toContain('No templates match');
  });

  it('uses a template from its card and opens the new prompt', async () => {
    const { root, backend, navigate, fixture } = await render('EDITOR');
    getByRole(root, 'button', 'Use template Code review').click();
    backend
      .expectOne('/api/v1/templates/coding-review/use')
      .flush({ id: 'p9' }, { status: 201, statusText: 'Created' });
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/prompts', 'p9']);
  });

  it('files the new prompt in the collection picked under "New prompts go to"', async () => {
    const { root, backend, navigate, fixture } = await render('EDITOR');
    (root.querySelector('.target .mat-mdc-select-trigger') as HTMLElement).click();
    await fixture.whenStable();
    const options = Array.from(document.querySelectorAll<HTMLElement>('mat-option'));
    expect(options.map((o) => o.textContent?.trim())).toEqual(['No collection', 'Marketing', 'Ads']);
    options[2].click();
    await fixture.whenStable();
    getByRole(root, 'button', 'Use template Code review').click();
    const use = backend.expectOne('/api/v1/templates/coding-review/use');
    expect(use.request.body).toEqual({ collectionId: 'c2' });
    use.flush({ id: 'p9' }, { status: 201, statusText: 'Created' });
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/prompts', 'p9']);
  });

  it('shows why using failed (plan limit) without navigating', async () => {
    const { root, backend, navigate, fixture } = await render('OWNER');
    getByRole(root, 'button', 'Use template Code review').click();
    backend
      .expectOne('/api/v1/templates/coding-review/use')
      .flush(
        { type: 'about:blank', title: 'Plan limit reached', status: 403, code: 'plan_limit_reached' },
        { status: 403, statusText: 'Forbidden', headers: { 'Content-Type': 'application/problem+json' } },
      );
    backend.expectOne('/api/v1/me').flush(me('OWNER'));
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain("plan's prompt limit");
    expect(navigate).not.toHaveBeenCalled();
  });

  it('opens the preview with the template and opens the prompt the dialog created', async () => {
    const { root, open, navigate, fixture } = await render('EDITOR', { id: 'p7' });
    getByRole(root, 'button', 'Preview Discovery call').click();
    await fixture.whenStable();
    expect(open).toHaveBeenCalledWith(
      TemplatePreviewDialog,
      expect.objectContaining({ data: TEMPLATES.find((t) => t.id === 'sales-discovery') }),
    );
    expect(navigate).toHaveBeenCalledWith(['/prompts', 'p7']);
  });
});
