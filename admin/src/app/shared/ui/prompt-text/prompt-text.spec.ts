import { TestBed } from '@angular/core/testing';
import { PromptText, promptSegments } from './prompt-text';

const XML_PROMPT =
  '<instructions>\nSummarize the document for a {{audience}}.\n</instructions>\n\n<document>{{document}}</document>';

const toggle = (root: HTMLElement, name: string) =>
  Array.from(root.querySelectorAll('button')).find((b) => b.textContent?.trim() === name)!;

function render(content: string, renderable = false) {
  const fixture = TestBed.createComponent(PromptText);
  fixture.componentRef.setInput('content', content);
  fixture.componentRef.setInput('renderable', renderable);
  TestBed.tick();
  return fixture.nativeElement as HTMLElement;
}

describe('promptSegments', () => {
  it('splits text and placeholders without changing a character', () => {
    const segments = promptSegments('Hi {{ name }}, {{{{literal}} and {{a.b}}!');
    expect(segments.map((s) => s.text).join('')).toBe('Hi {{ name }}, {{{{literal}} and {{a.b}}!');
    expect(segments.filter((s) => s.variable).map((s) => s.text)).toEqual(['{{ name }}', '{{a.b}}']);
  });
});

describe('PromptText', () => {
  it('shows XML-style prompts verbatim: tags, line breaks and variables kept', () => {
    const root = render(XML_PROMPT);
    const pre = root.querySelector('pre')!;
    expect(pre.textContent).toBe(XML_PROMPT);
    expect(root.querySelector('instructions, document')).toBeNull();
    expect(Array.from(pre.querySelectorAll('.pv-var')).map((s) => s.textContent)).toEqual([
      '{{audience}}',
      '{{document}}',
    ]);
  });

  it('renders Markdown only when asked through the "Rendered" toggle', () => {
    const root = render('# Title\n\nSome **bold** for {{name}}', true);
    expect(root.querySelector('pre')!.textContent).toContain('# Title');
    expect(root.querySelector('strong')).toBeNull();

    toggle(root, 'Rendered').click();
    TestBed.tick();
    expect(root.querySelector('pre')).toBeNull();
    expect(root.querySelector('strong')!.textContent).toBe('bold');
    expect(root.querySelector('.pv-var')!.textContent).toBe('{{name}}');

    toggle(root, 'Text').click();
    TestBed.tick();
    expect(root.querySelector('pre')!.textContent).toContain('**bold**');
  });

  it('offers no toggle unless renderable', () => {
    const root = render('plain');
    expect(root.querySelector('mat-button-toggle-group')).toBeNull();
  });
});
