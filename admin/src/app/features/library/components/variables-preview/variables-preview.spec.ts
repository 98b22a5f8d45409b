import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { fieldByLabel, problem, prompt, setUpLibrary, type } from '../../../../../testing/library-fixtures';
import { getByRole } from '../../../../../testing/test-helpers';
import { Prompt } from '../../data/library.types';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { VariablesPreview } from './variables-preview';

function render(value: Prompt = prompt()) {
  const bed = setUpLibrary('VIEWER');
  TestBed.inject(PromptDetailStore).prompt.set(value);
  const fixture = TestBed.createComponent(VariablesPreview);
  fixture.componentRef.setInput('prompt', value);
  TestBed.tick();
  const root = fixture.nativeElement as HTMLElement;
  return { ...bed, root, text: () => root.querySelector('[data-testid="rendered-prompt"]')!.textContent };
}

describe('VariablesPreview', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('previews the text as values are typed and lists what is still missing', () => {
    const bed = render();
    expect(bed.text()).toContain('Answer {{customer}}');
    expect(bed.root.textContent).toContain('Missing: customer, tone');

    type(fieldByLabel(bed.root, 'customer'), 'Bob');
    TestBed.tick();
    expect(bed.text()).toContain('Answer Bob in a {{tone}} tone.');
    expect(bed.root.textContent).toContain('Missing: tone');
  });

  it('renders on the server with the typed values and shows its answer until a value changes', () => {
    const bed = render();
    type(fieldByLabel(bed.root, 'customer'), 'Bob');
    TestBed.tick();
    getByRole(bed.root, 'button', /Render/).click();

    const render_ = bed.backend.expectOne('/api/v1/prompts/p1/render');
    expect(render_.request.body).toEqual({ variables: { customer: 'Bob' } });
    render_.flush({ rendered: 'Answer Bob in a friendly tone.', version: 3 });
    TestBed.tick();
    expect(getByRole(bed.root, 'heading', 'Rendered by the server (v3)')).toBeTruthy();
    expect(bed.text()).toBe('Answer Bob in a friendly tone.');

    type(fieldByLabel(bed.root, 'customer'), 'Ada');
    TestBed.tick();
    expect(getByRole(bed.root, 'heading', 'Preview')).toBeTruthy();
    expect(bed.text()).toContain('Answer Ada');
  });

  it('puts the server’s field errors next to their variables', () => {
    const bed = render();
    getByRole(bed.root, 'button', /Render/).click();
    const failed = problem(422, 'prompt_variables_invalid', {
      errors: [{ field: 'variables.customer', message: 'customer is required' }],
    });
    bed.backend.expectOne('/api/v1/prompts/p1/render').flush(failed.body, failed.options);
    TestBed.tick();
    expect(getByRole(bed.root, 'alert').textContent).toContain('Fill in the highlighted variables.');
    expect(bed.root.textContent).toContain('customer is required');

    type(fieldByLabel(bed.root, 'customer'), 'Bob');
    TestBed.tick();
    expect(bed.root.textContent).not.toContain('customer is required');
  });

  it('copies the text shown', () => {
    const bed = render(prompt({ content: 'No variables here', variables: [] }));
    expect(bed.root.querySelector('form')).toBeNull();
    getByRole(bed.root, 'button', /Copy/).click();
    expect(bed.snackBar.open).toHaveBeenCalledWith(expect.stringMatching(/^Cop/), undefined, {
      duration: 3000,
    });
  });
});
