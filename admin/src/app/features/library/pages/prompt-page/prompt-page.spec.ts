import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { prompt, setUpLibrary } from '../../../../../testing/library-fixtures';
import { MembershipRole } from '../../../../core/api/api-types';
import { Prompt } from '../../data/library.types';
import { PromptPage } from './prompt-page';

const XML_PROMPT = '<instructions>\nSummarize it.\n</instructions>\n<document>{{document}}</document>';

function render(role: MembershipRole, value: Prompt = prompt()) {
  const bed = setUpLibrary(role, [provideRouter([])]);
  const fixture = TestBed.createComponent(PromptPage);
  fixture.componentRef.setInput('id', value.id);
  TestBed.tick();
  const backend = TestBed.inject(HttpTestingController);
  backend
    .match(() => true)
    .forEach((req) => {
      if (req.request.url === `/api/v1/prompts/${value.id}`) req.flush(value);
      else if (req.request.url.endsWith('/members')) req.flush([]);
      else req.flush({ items: [], nextCursor: null });
    });
  TestBed.tick();
  return { ...bed, root: fixture.nativeElement as HTMLElement };
}

describe('PromptPage', () => {
  it('shows XML-style prompt content verbatim, variables highlighted', () => {
    const { root } = render('VIEWER', prompt({ content: XML_PROMPT, variables: [] }));
    const pre = root.querySelector('section[aria-labelledby="content-heading"] pre')!;
    expect(pre).toBeTruthy();
    expect(pre.textContent).toBe(XML_PROMPT);
    expect(pre.querySelector('.pv-var')!.textContent).toBe('{{document}}');
  });

  it('keeps the description in Markdown', () => {
    const { root } = render('VIEWER', prompt({ description: 'Use **carefully**' }));
    expect(root.querySelector('.description strong')?.textContent).toBe('carefully');
  });
});
