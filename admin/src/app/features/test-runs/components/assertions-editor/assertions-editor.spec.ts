import { ChangeDetectionStrategy, Component, signal, viewChild } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { fieldByLabel, setUpLibrary, type } from '../../../../../testing/library-fixtures';
import { getByRole } from '../../../../../testing/test-helpers';
import { Assertion } from '../../data/test-runs.api';
import { AssertionsEditor, fromRow, toRow } from './assertions-editor';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AssertionsEditor],
  template: `<pv-assertions-editor [(assertions)]="value" />`,
})
class Host {
  readonly value = signal<Assertion[]>([]);
  readonly editor = viewChild.required(AssertionsEditor);
}

function render(initial: Assertion[] = []) {
  setUpLibrary('EDITOR');
  const fixture = TestBed.createComponent(Host);
  fixture.componentInstance.value.set(initial);
  TestBed.tick();
  return { host: fixture.componentInstance, root: fixture.nativeElement as HTMLElement };
}

describe('assertion rows', () => {
  it('round-trips every type', () => {
    const all: Assertion[] = [
      { type: 'contains', value: 'Hi' },
      { type: 'not_contains', value: 'Sorry' },
      { type: 'regex', pattern: '^\\d+$', flags: 'i' },
      { type: 'valid_json' },
      { type: 'json_schema', schema: { type: 'object' } },
      { type: 'max_length', max: 200 },
      { type: 'evaluator_min', min: 4 },
    ];
    expect(all.map((a) => fromRow(toRow(a)))).toEqual(all.map((assertion) => ({ assertion })));
  });

  it('says what is missing or wrong', () => {
    expect(fromRow({ type: 'contains', text: '', flags: '' })).toEqual({ problem: 'Enter the text' });
    expect(fromRow({ type: 'regex', text: '([a-', flags: '' })).toEqual({
      problem: 'Not a valid regular expression',
    });
    expect(fromRow({ type: 'json_schema', text: '{nope', flags: '' })).toEqual({
      problem: 'The schema is not valid JSON',
    });
    expect(fromRow({ type: 'json_schema', text: '[1]', flags: '' })).toEqual({
      problem: 'The schema must be a JSON object',
    });
    expect(fromRow({ type: 'max_length', text: '2.5', flags: '' })).toHaveProperty('problem');
    expect(fromRow({ type: 'evaluator_min', text: '6', flags: '' })).toHaveProperty('problem');
  });
});

describe('AssertionsEditor', () => {
  it('shows the saved assertions and says when there are none', () => {
    const empty = render();
    expect(empty.root.textContent).toContain('No assertions');
    TestBed.resetTestingModule();
    const { root } = render([{ type: 'contains', value: 'Bob' }]);
    expect(fieldByLabel(root, 'Text').value).toBe('Bob');
  });

  it('adds an assertion, emits it once complete, and is invalid while a row is incomplete', () => {
    const { host, root } = render();
    getByRole(root, 'button', /Add assertion/).click();
    TestBed.tick();
    expect(host.editor().invalid()).toBe(true);
    expect(host.value()).toEqual([]);
    type(fieldByLabel(root, 'Text'), 'refund');
    TestBed.tick();
    expect(host.editor().invalid()).toBe(false);
    expect(host.value()).toEqual([{ type: 'contains', value: 'refund' }]);
  });

  it('removes an assertion', () => {
    const { host, root } = render([
      { type: 'valid_json' },
      { type: 'max_length', max: 10 },
    ]);
    getByRole(root, 'button', 'Remove assertion 1').click();
    TestBed.tick();
    expect(host.value()).toEqual([{ type: 'max_length', max: 10 }]);
  });
});
