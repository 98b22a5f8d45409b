import { HttpTestingController } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { fieldByLabel, problem, prompt, setUpLibrary, type } from '../../../../../testing/library-fixtures';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { CodeEditor } from '../../components/code-editor/code-editor';
import { CONFLICT_MESSAGE, PromptEditorPage } from './prompt-editor-page';

/**
 * CodeMirror measures layout that jsdom does not have; the page only needs a labelled textbox that
 * reports its text, which this stand-in is (the editor itself has its own spec).
 */
@Component({
  selector: 'pv-code-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<textarea
    role="textbox"
    [attr.aria-label]="label()"
    [value]="value()"
    (input)="valueChange.emit($any($event.target).value)"
  ></textarea>`,
})
class FakeCodeEditor {
  readonly value = input.required<string>();
  readonly label = input.required<string>();
  readonly placeholder = input('');
  readonly valueChange = output<string>();
}

function flushLookups(backend: HttpTestingController): void {
  for (const url of ['/api/v1/tags', '/api/v1/categories', '/api/v1/collections']) {
    backend.expectOne((r) => r.url === url).flush({ items: [], nextCursor: null });
  }
  backend.expectOne('/api/v1/organizations/o1/members').flush([]);
}

function render(role: MembershipRole, id?: string, existing = prompt()) {
  const bed = setUpLibrary(role, [provideRouter([])], () =>
    TestBed.overrideComponent(PromptEditorPage, {
      remove: { imports: [CodeEditor] },
      add: { imports: [FakeCodeEditor] },
    }),
  );
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  const fixture = TestBed.createComponent(PromptEditorPage);
  if (id) fixture.componentRef.setInput('id', id);
  TestBed.tick();
  flushLookups(bed.backend);
  if (id) bed.backend.expectOne('/api/v1/prompts/p1').flush(existing);
  TestBed.tick();
  const root = fixture.nativeElement as HTMLElement;
  return {
    ...bed,
    fixture,
    root,
    navigate,
    page: fixture.componentInstance,
    content: () => getByRole(root, 'textbox', 'Prompt content') as HTMLTextAreaElement,
    submit: () => {
      root.querySelector<HTMLButtonElement>('form[aria-label="Prompt"] button[type="submit"]')!.click();
      TestBed.tick();
    },
  };
}

describe('PromptEditorPage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('creates a prompt from the form and opens it', () => {
    const bed = render('EDITOR');
    expect(getByRole(bed.root, 'heading', 'New prompt')).toBeTruthy();
    type(fieldByLabel(bed.root, 'Title'), '  Support reply ');
    type(bed.content(), 'Answer {{customer}}');
    type(fieldByLabel(bed.root, 'Temperature'), '0.5');
    TestBed.tick();
    expect(bed.root.querySelector('fieldset legend')!.textContent).toContain('{{customer}}');
    expect(bed.page.hasUnsavedChanges()).toBe(true);
    bed.submit();

    const post = bed.backend.expectOne('/api/v1/prompts');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toMatchObject({
      title: 'Support reply',
      content: 'Answer {{customer}}',
      variables: [{ name: 'customer', type: 'text', required: true }],
      metadata: { temperature: 0.5 },
      status: 'draft',
      visibility: 'organization',
    });
    expect(post.request.body).not.toHaveProperty('slug');
    post.flush(prompt({ id: 'p9', title: 'Support reply' }));
    TestBed.tick();
    expect(bed.snackBar.open).toHaveBeenCalledWith('Created “Support reply”', 'Dismiss', { duration: 4000 });
    expect(bed.navigate).toHaveBeenCalledWith(['/prompts', 'p9']);
    expect(bed.page.hasUnsavedChanges()).toBe(false);
    // The first test of the file also pays for compiling the page and its Material parts.
  }, 15_000);

  it('checks the required fields before sending anything', () => {
    const bed = render('EDITOR');
    type(fieldByLabel(bed.root, 'Max tokens'), '0');
    bed.submit();
    expect(getByRole(bed.root, 'alert', /Check the highlighted fields/)).toBeTruthy();
    expect(bed.root.textContent).toContain('A title is required');
    expect(bed.root.textContent).toContain('The prompt needs content');
    expect(bed.root.textContent).toContain('Max tokens is a positive whole number');
    bed.backend.expectNone('/api/v1/prompts');
  });

  it('edits a prompt: the form starts from the saved one and a save sends the version it was based on', () => {
    const bed = render('EDITOR', 'p1');
    expect(getByRole(bed.root, 'heading', /Edit prompt/).textContent).toContain('editing v3');
    expect(fieldByLabel(bed.root, 'Title').value).toBe('Support reply');
    expect(bed.content().value).toBe('Answer {{customer}} in a {{tone}} tone.');
    expect(bed.page.hasUnsavedChanges()).toBe(false);

    type(fieldByLabel(bed.root, 'Title'), 'Support answer');
    type(fieldByLabel<HTMLTextAreaElement>(bed.root, 'Change note'), 'Clearer title');
    TestBed.tick();
    expect(bed.page.hasUnsavedChanges()).toBe(true);
    bed.submit();

    const patch = bed.backend.expectOne('/api/v1/prompts/p1');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toMatchObject({
      title: 'Support answer',
      changeNote: 'Clearer title',
      expectedVersion: 3,
    });
    patch.flush(prompt({ title: 'Support answer', version: 4 }));
    TestBed.tick();
    expect(bed.snackBar.open).toHaveBeenCalledWith('Saved version 4', 'Dismiss', { duration: 4000 });
    expect(bed.navigate).toHaveBeenCalledWith(['/prompts', 'p1']);
  });

  it('keeps Save in a sticky action bar, and Ctrl+S (Cmd+S) saves from inside a field without the browser dialog', () => {
    const bed = render('EDITOR', 'p1');
    const bar = getByRole(bed.root, 'toolbar', 'Prompt actions');
    expect(bar.parentElement?.matches('form[aria-label="Prompt"]')).toBe(true);
    expect(bar.closest('aside')).toBeNull();
    expect(getByRole(bar, 'button', /Save/).getAttribute('aria-keyshortcuts')).toMatch(/^(Ctrl|Cmd)\+S$/);
    expect(getByRole(bar, 'link', 'Cancel')).toBeTruthy();

    const title = fieldByLabel(bed.root, 'Title');
    type(title, 'Support answer');
    TestBed.tick();
    expect(bar.textContent).toContain('Unsaved changes');
    const press = (init: KeyboardEventInit) => {
      const event = new KeyboardEvent('keydown', { key: 's', bubbles: true, cancelable: true, ...init });
      title.dispatchEvent(event);
      TestBed.tick();
      return event;
    };
    // A plain "s" is typing, not a shortcut.
    expect(press({}).defaultPrevented).toBe(false);
    bed.backend.expectNone('/api/v1/prompts/p1');
    expect(press({ ctrlKey: true }).defaultPrevented).toBe(true);
    const patch = bed.backend.expectOne('/api/v1/prompts/p1');
    expect(patch.request.body).toMatchObject({ title: 'Support answer', expectedVersion: 3 });
    // While saving, the shortcut does nothing more (and still keeps the browser dialog away).
    expect(getByRole(bar, 'button', /Saving/).hasAttribute('disabled')).toBe(true);
    expect(press({ metaKey: true }).defaultPrevented).toBe(true);
    bed.backend.expectNone('/api/v1/prompts/p1');
    patch.flush(prompt({ title: 'Support answer', version: 4 }));
    TestBed.tick();
    expect(bed.snackBar.open).toHaveBeenCalledWith('Saved version 4', 'Dismiss', { duration: 4000 });
  });

  it('shows a stale save (prompt_version_conflict) as a conflict and reloads the latest version on request', () => {
    const bed = render('EDITOR', 'p1');
    type(fieldByLabel(bed.root, 'Title'), 'Mine');
    bed.submit();
    const stale = problem(409, 'prompt_version_conflict', { detail: 'The prompt is at version 4' });
    bed.backend.expectOne('/api/v1/prompts/p1').flush(stale.body, stale.options);
    TestBed.tick();
    const banner = getByRole(bed.root, 'alert', new RegExp(CONFLICT_MESSAGE));
    expect(bed.navigate).not.toHaveBeenCalled();

    banner.querySelector('button')!.click();
    bed.backend.expectOne('/api/v1/prompts/p1').flush(prompt({ title: 'Theirs', version: 4 }));
    TestBed.tick();
    expect(queryAllByRole(bed.root, 'alert')).toHaveLength(0);
    expect(fieldByLabel(bed.root, 'Title').value).toBe('Theirs');
    expect(getByRole(bed.root, 'heading', /Edit prompt/).textContent).toContain('editing v4');
  });

  it('shows a taken slug (prompt_slug_taken) on the slug field, not as a conflict', () => {
    const bed = render('EDITOR', 'p1');
    type(fieldByLabel(bed.root, 'Slug'), 'taken');
    bed.submit();
    const taken = problem(409, 'prompt_slug_taken', { detail: 'The slug "taken" is taken' });
    bed.backend.expectOne('/api/v1/prompts/p1').flush(taken.body, taken.options);
    TestBed.tick();
    expect(bed.root.textContent).not.toContain(CONFLICT_MESSAGE);
    const slugField = fieldByLabel(bed.root, 'Slug').closest('mat-form-field')!;
    expect(slugField.textContent).toContain('Another prompt in this organization already uses this slug');

    type(fieldByLabel(bed.root, 'Slug'), 'free');
    TestBed.tick();
    expect(slugField.textContent).not.toContain('already uses this slug');
  });

  it('puts the server’s field errors next to their fields', () => {
    const bed = render('EDITOR', 'p1');
    bed.submit();
    const invalid = problem(400, 'validation_failed', {
      errors: [{ field: 'metadata.temperature', message: 'temperature must not be greater than 2' }],
    });
    bed.backend.expectOne('/api/v1/prompts/p1').flush(invalid.body, invalid.options);
    TestBed.tick();
    expect(getByRole(bed.root, 'alert', /did not accept some fields/)).toBeTruthy();
    const temperature = fieldByLabel(bed.root, 'Temperature').closest('mat-form-field')!;
    expect(temperature.textContent).toContain('temperature must not be greater than 2');
  });

  it('tells someone who may only read the prompt that they cannot edit it, with no form to fill in', () => {
    const bed = render('EDITOR', 'p1', prompt({ authorId: 'u2' }));
    expect(getByRole(bed.root, 'heading', 'You can view this prompt but not edit it')).toBeTruthy();
    expect(
      getByRole(bed.root, 'alert', /Only its author, owners and admins can edit this prompt/),
    ).toBeTruthy();
    expect(bed.root.querySelector('form[aria-label="Prompt"]')).toBeNull();
    expect(getByRole(bed.root, 'link', 'Back to the prompt').getAttribute('href')).toBe('/prompts/p1');
  });

  it('tells a VIEWER following a link to /edit that their role cannot edit, with no form', () => {
    const bed = render('VIEWER', 'p1', prompt({ authorId: 'u2' }));
    expect(getByRole(bed.root, 'heading', 'You can view this prompt but not edit it')).toBeTruthy();
    expect(getByRole(bed.root, 'alert', /ask an owner or admin for the EDITOR role/)).toBeTruthy();
    expect(bed.root.querySelector('form[aria-label="Prompt"]')).toBeNull();
  });

  it('tells a VIEWER on the new-prompt page that their role cannot create prompts, with no form', () => {
    const bed = render('VIEWER');
    expect(getByRole(bed.root, 'heading', 'Your role cannot create prompts')).toBeTruthy();
    expect(bed.root.querySelector('form[aria-label="Prompt"]')).toBeNull();
  });
});
