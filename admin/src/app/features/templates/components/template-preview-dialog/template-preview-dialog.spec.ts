import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { PromptTemplate } from '../../data/templates.api';
import { TemplatesStore } from '../../data/templates.store';
import { flushCollections, template } from '../../testing/templates-fixtures';
import { TemplatePreviewDialog } from './template-preview-dialog';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});

const TEMPLATE: PromptTemplate = template({
  id: 'writing-translate',
  title: 'Translate',
  content: 'Translate {{text}} into {{language}} ({{formal}})',
  variables: [
    { name: 'text', type: 'text', required: true, description: 'What to translate' },
    {
      name: 'language',
      type: 'select',
      required: true,
      options: ['German', 'French'],
      defaultValue: 'German',
    },
    { name: 'formal', type: 'boolean', required: false, defaultValue: false },
  ],
  metadata: { model: 'gpt-4o', temperature: 0.5, maxTokens: 1500 },
});

async function render(role: MembershipRole) {
  const close = vi.fn();
  TestBed.configureTestingModule({
    imports: [TemplatePreviewDialog],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      { provide: MAT_DIALOG_DATA, useValue: TEMPLATE },
      { provide: MatDialogRef, useValue: { close } },
      TemplatesStore,
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const fixture = TestBed.createComponent(TemplatePreviewDialog);
  TestBed.tick();
  backend.expectOne('/api/v1/templates').flush([TEMPLATE]);
  flushCollections(backend);
  await fixture.whenStable();
  return { fixture, backend, close, root: fixture.nativeElement as HTMLElement };
}

describe('TemplatePreviewDialog', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows the content, each variable with its type and default, and the model settings', async () => {
    const { root } = await render('VIEWER');
    expect(root.textContent).toContain('Translate {{text}} into {{language}} ({{formal}})');
    const items = queryAllByRole(getByRole(root, 'list', 'Variables'), 'listitem').map((li) =>
      li.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(items).toEqual([
      '{{text}}text · requiredWhat to translate',
      '{{language}}select · required · one of: German, French · default: German',
      '{{formal}}boolean · optional · default: false',
    ]);
    expect(root.textContent).toContain('gpt-4o');
    expect(root.textContent).toContain('temperature 0.5');
    // A VIEWER may look, not use.
    expect(queryAllByRole(root, 'button', 'Use template')).toHaveLength(0);
    expect(root.querySelector('mat-select')).toBeNull();
  });

  it('files the prompt in the collection picked here, which becomes the page\'s target too', async () => {
    const { root, backend, close, fixture } = await render('EDITOR');
    (root.querySelector('.target .mat-mdc-select-trigger') as HTMLElement).click();
    await fixture.whenStable();
    const marketing = Array.from(document.querySelectorAll<HTMLElement>('mat-option')).find(
      (o) => o.textContent?.trim() === 'Marketing',
    );
    marketing!.click();
    await fixture.whenStable();
    expect(TestBed.inject(TemplatesStore).targetCollection()).toBe('c1');
    getByRole(root, 'button', 'Use template').click();
    const use = backend.expectOne('/api/v1/templates/writing-translate/use');
    expect(use.request.body).toEqual({ collectionId: 'c1' });
    use.flush({ id: 'p4' }, { status: 201, statusText: 'Created' });
    await fixture.whenStable();
    expect(close).toHaveBeenCalledWith({ id: 'p4' });
  });

  it('uses the template and closes with the new prompt', async () => {
    const { root, backend, close, fixture } = await render('EDITOR');
    getByRole(root, 'button', 'Use template').click();
    const use = backend.expectOne('/api/v1/templates/writing-translate/use');
    expect(use.request.body).toEqual({});
    use.flush({ id: 'p3' }, { status: 201, statusText: 'Created' });
    await fixture.whenStable();
    expect(close).toHaveBeenCalledWith({ id: 'p3' });
  });

  it('stays open with the reason when the template is gone', async () => {
    const { root, backend, close, fixture } = await render('EDITOR');
    getByRole(root, 'button', 'Use template').click();
    backend.expectOne('/api/v1/templates/writing-translate/use').flush(
      {
        type: 'about:blank',
        title: 'Not found',
        status: 404,
        code: 'not_found',
        detail: 'Template was not found',
      },
      { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'application/problem+json' } },
    );
    await fixture.whenStable();
    expect(root.textContent).toContain('Template was not found');
    expect(close).not.toHaveBeenCalled();
  });
});
