import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { prompt, setUpLibrary } from '../../../../../testing/library-fixtures';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { SessionStore } from '../../../../core/session/session.store';
import { BROWSER_STORAGE } from '../../../../core/storage/browser-storage';
import { ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { ExportDialog } from '../../../transfer/components/export-dialog/export-dialog';
import { LIBRARY_VIEW_KEY, LibraryListPage } from './library-list-page';

const PROMPTS = [
  prompt({ tags: ['support', 'email'], description: 'Answers a **customer** in _their_ language' }),
  prompt({ id: 'p2', slug: 'other', title: 'Other', authorId: 'u2', tags: ['email'] }),
];

/** Answers every pending request: the prompts (`PROMPTS`, or only those with the asked tag), costs, lookups. */
function answer(backend: HttpTestingController) {
  backend
    .match(() => true)
    .forEach((req) => {
      if (req.request.url === '/api/v1/prompts') {
        const tag = req.request.params.get('tag');
        req.flush({ items: PROMPTS.filter((p) => !tag || p.tags.includes(tag)), nextCursor: null });
      } else if (req.request.url === '/api/v1/analytics/top-prompts')
        req.flush({
          items: [{ promptId: 'p1', slug: 'support-reply', title: 'Support reply', value: 1.25 }],
        });
      else if (req.request.url.endsWith('/members')) req.flush([]);
      else req.flush({ items: [], nextCursor: null });
    });
}

function render(
  role: MembershipRole,
  stored: Record<string, string> = {},
  answerNow = true,
  membersMayExport = true,
) {
  const bed = setUpLibrary(role, [provideRouter([{ path: '', component: LibraryListPage }])]);
  const storage = TestBed.inject(BROWSER_STORAGE);
  for (const [key, value] of Object.entries(stored)) storage.setItem(key, value);
  const session = TestBed.inject(SessionStore);
  const me = session.me()!;
  session.me.set({
    ...me,
    memberships: me.memberships.map((m) => ({ ...m, policies: { viewersMayRun: false, membersMayExport } })),
  });
  session.accessToken.set('token');
  const fixture = TestBed.createComponent(LibraryListPage);
  TestBed.tick();
  const backend = TestBed.inject(HttpTestingController);
  if (answerNow) answer(backend);
  TestBed.tick();
  const root = fixture.nativeElement as HTMLElement;
  const button = (name: string) =>
    queryAllByRole(root, 'button').find((b) => b.textContent?.trim() === name) ??
    queryAllByRole(root, 'link').find((b) => b.textContent?.trim() === name);
  return { ...bed, root, button, fixture, storage };
}

describe('LibraryListPage', () => {
  it('shows a card’s Markdown description as words, without the asterisks', () => {
    const { root } = render('EDITOR');
    const description = root.querySelector('.description')!;
    expect(description.textContent.trim()).toBe('Answers a customer in their language');
  });

  it('offers a VIEWER no selection, no bulk actions and no New prompt when members may not export', () => {
    const { root, button } = render('VIEWER', {}, true, false);
    expect(root.querySelectorAll('li.prompt')).toHaveLength(2);
    expect(root.querySelector('mat-checkbox')).toBeNull();
    expect(root.textContent).not.toContain('Select prompts for bulk actions');
    expect(button('New prompt')).toBeUndefined();
  });

  it('lets a VIEWER who may export select prompts and export them, and nothing else', () => {
    const { root, button, dialog } = render('VIEWER');
    root.querySelectorAll<HTMLInputElement>('li.prompt mat-checkbox input')[1].click();
    TestBed.tick();
    expect(button('Archive')).toBeUndefined();
    button('Export')!.click();
    const [component, options] = dialog.open.mock.calls[0] as unknown as [unknown, { data: unknown }];
    expect(component).toBe(ExportDialog);
    expect(options.data).toEqual({ kind: 'ids', ids: ['p2'] });
  });

  it('offers an EDITOR the bulk actions and asks in the right number', () => {
    const { root, button, dialog } = render('EDITOR');
    expect(button('New prompt')).toBeTruthy();
    dialog.answer = false;
    root.querySelector<HTMLInputElement>('li.prompt mat-checkbox input')!.click();
    TestBed.tick();
    for (const name of ['Add tags', 'Remove tags', 'Move', 'Publish', 'Archive', 'Delete', 'Export'])
      expect(button(name)).toBeTruthy();
    button('Archive')!.click();
    const [, options] = dialog.open.mock.calls[0] as unknown as [unknown, { data: ConfirmDialogData }];
    const data = options.data;
    expect(data.title).toBe('Archive 1 prompt?');
  });

  it('shows a skeleton of cards while the first page loads, not a blank area', () => {
    const { root, backend } = render('EDITOR', {}, false);
    const skeleton = getByRole(root, 'progressbar', 'Loading prompts');
    expect(skeleton.getAttribute('data-variant')).toBe('cards');
    answer(backend);
    TestBed.tick();
    expect(queryAllByRole(root, 'progressbar', 'Loading prompts')).toHaveLength(0);
    expect(root.querySelectorAll('li.prompt')).toHaveLength(2);
  });

  it('filters by a tag when its chip on a card is clicked, through the URL', async () => {
    const { root, fixture } = render('VIEWER');
    const router = TestBed.inject(Router);
    const chip = getByRole(root.querySelector('li.prompt')!, 'button', 'Filter by tag support');
    chip.click();
    await fixture.whenStable();
    expect(router.url).toBe('/?tag=support');
    const backend = TestBed.inject(HttpTestingController);
    const request = backend.expectOne((r) => r.url === '/api/v1/prompts');
    expect(request.request.params.get('tag')).toBe('support');
    request.flush({ items: [PROMPTS[0]], nextCursor: null });
    TestBed.tick();
    expect(root.querySelectorAll('li.prompt')).toHaveLength(1);
    expect(getByRole(root, 'button', 'Filter by tag support').getAttribute('aria-pressed')).toBe('true');
  });

  it('switches to the compact list, remembers it, and shows slug, tags, status, updated and cost', async () => {
    const { root, storage, fixture } = render('VIEWER');
    expect(root.querySelector('table')).toBeNull();
    getByRole(root, 'radio', 'Compact list view').click();
    await fixture.whenStable();
    answer(TestBed.inject(HttpTestingController)); // the 30-day costs, asked for by the compact list
    TestBed.tick();
    expect(storage.getItem(LIBRARY_VIEW_KEY)).toBe('compact');
    const table = root.querySelector<HTMLElement>('table[aria-label="Prompts"]')!;
    const headers = Array.from(table.querySelectorAll('th')).map((th) => th.textContent?.trim());
    expect(headers).toEqual(
      expect.arrayContaining(['Title', 'Slug', 'Tags', 'Status', 'Updated', 'Cost (30 days)']),
    );
    const rows = table.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('support-reply');
    expect(rows[0].textContent).toContain('$1.25');
    expect(rows[1].textContent).toContain('$0.00');
  });

  it('opens in the compact list when this browser chose it before', () => {
    const { root } = render('VIEWER', { [LIBRARY_VIEW_KEY]: 'compact' });
    expect(
      root.querySelector<HTMLElement>('table[aria-label="Prompts"]')!.querySelectorAll('tbody tr'),
    ).toHaveLength(2);
    expect(root.querySelectorAll('li.prompt')).toHaveLength(0);
  });

  it('gives every icon-only button a tooltip and an accessible name', () => {
    const { root } = render('EDITOR');
    const buttons = Array.from(root.querySelectorAll<HTMLElement>('[mat-icon-button], mat-button-toggle'));
    expect(buttons.length).toBeGreaterThanOrEqual(4);
    for (const button of buttons) {
      expect(button.classList).toContain('mat-mdc-tooltip-trigger');
      // A toggle's name is on the button inside it.
      const named = button.tagName === 'MAT-BUTTON-TOGGLE' ? button.querySelector('button')! : button;
      expect(named.getAttribute('aria-label')).toBeTruthy();
    }
  });
});
