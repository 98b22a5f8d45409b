import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { prompt, setUpLibrary } from '../../../../../testing/library-fixtures';
import { queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { SessionStore } from '../../../../core/session/session.store';
import { ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { LibraryListPage } from './library-list-page';

function render(role: MembershipRole) {
  const bed = setUpLibrary(role, [provideRouter([])]);
  TestBed.inject(SessionStore).accessToken.set('token');
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
  it('offers a VIEWER no selection, no bulk actions and no New prompt', () => {
    const { root, button } = render('VIEWER');
    expect(root.querySelectorAll('li.prompt')).toHaveLength(2);
    expect(root.querySelector('mat-checkbox')).toBeNull();
    expect(root.textContent).not.toContain('Select prompts for bulk actions');
    expect(button('New prompt')).toBeUndefined();
  });

  it('offers an EDITOR the bulk actions and asks in the right number', () => {
    const { root, button, dialog } = render('EDITOR');
    expect(button('New prompt')).toBeTruthy();
    dialog.answer = false;
    root.querySelector<HTMLInputElement>('li.prompt mat-checkbox input')!.click();
    TestBed.tick();
    for (const name of ['Add tags', 'Remove tags', 'Move', 'Publish', 'Archive', 'Delete'])
      expect(button(name)).toBeTruthy();
    button('Archive')!.click();
    const [, options] = dialog.open.mock.calls[0] as unknown as [unknown, { data: ConfirmDialogData }];
    const data = options.data;
    expect(data.title).toBe('Archive 1 prompt?');
  });
});
