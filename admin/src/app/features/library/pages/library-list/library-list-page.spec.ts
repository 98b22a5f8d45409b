import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { prompt, setUpLibrary } from '../../../../../testing/library-fixtures';
import { queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { SessionStore } from '../../../../core/session/session.store';
import { ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { ExportDialog } from '../../../transfer/components/export-dialog/export-dialog';
import { LibraryListPage } from './library-list-page';

function render(role: MembershipRole, membersMayExport = true) {
  const bed = setUpLibrary(role, [provideRouter([])]);
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
  backend
    .match(() => true)
    .forEach((req) => {
      if (req.request.url === '/api/v1/prompts')
        req.flush({
          items: [prompt(), prompt({ id: 'p2', title: 'Other', authorId: 'u2' })],
          nextCursor: null,
        });
      else if (req.request.url.endsWith('/members')) req.flush([]);
      else req.flush({ items: [], nextCursor: null });
    });
  TestBed.tick();
  const root = fixture.nativeElement as HTMLElement;
  const button = (name: string) =>
    queryAllByRole(root, 'button').find((b) => b.textContent?.trim() === name) ??
    queryAllByRole(root, 'link').find((b) => b.textContent?.trim() === name);
  return { ...bed, root, button };
}

describe('LibraryListPage', () => {
  it('offers a VIEWER no selection, no bulk actions and no New prompt when members may not export', () => {
    const { root, button } = render('VIEWER', false);
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
});
