import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { prompt, setUpLibrary } from '../../../../../testing/library-fixtures';
import { MembershipRole } from '../../../../core/api/api-types';
import { Prompt } from '../../data/library.types';
import { PromptPage } from './prompt-page';

const XML_PROMPT = '<instructions>\nSummarize it.\n</instructions>\n<document>{{document}}</document>';

function render(role: MembershipRole, value: Prompt = prompt(), query: Record<string, string> = {}) {
  const bed = setUpLibrary(role, [provideRouter([])]);
  const fixture = TestBed.createComponent(PromptPage);
  fixture.componentRef.setInput('id', value.id);
  for (const [name, param] of Object.entries(query)) fixture.componentRef.setInput(name, param);
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
  return { ...bed, fixture, root: fixture.nativeElement as HTMLElement };
}

function selectedTab(root: HTMLElement): string {
  return root.querySelector('[role="tab"][aria-selected="true"]')!.textContent.trim();
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

  it('opens the tab the URL names, and the overview without one', () => {
    expect(selectedTab(render('VIEWER').root)).toBe('Overview');
    TestBed.resetTestingModule();
    const { root } = render('VIEWER', prompt(), { tab: 'test-cases' });
    expect(selectedTab(root)).toBe('Test cases');
    expect(root.querySelector('pv-test-cases-panel')).not.toBeNull();
  });

  it('puts the tab the user opens into the URL', async () => {
    const { root, fixture } = render('VIEWER');
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    root.querySelectorAll<HTMLElement>('[role="tab"]')[1].click();
    TestBed.tick();
    // The tab group reports the change a microtask later.
    await new Promise((resolve) => setTimeout(resolve));
    expect(navigate).toHaveBeenCalledWith(
      [],
      expect.objectContaining({
        queryParams: { tab: 'versions', from: null, to: null },
        queryParamsHandling: 'merge',
      }),
    );
    navigate.mockClear();
    // The router binds the new query parameter back (navigate is a spy here).
    fixture.componentRef.setInput('tab', 'versions');
    TestBed.tick();
    root.querySelectorAll<HTMLElement>('[role="tab"]')[0].click();
    TestBed.tick();
    await new Promise((resolve) => setTimeout(resolve));
    expect(navigate).toHaveBeenCalledWith(
      [],
      expect.objectContaining({
        queryParams: { tab: null, from: null, to: null },
      }),
    );
  });

  it('compares the versions named in the URL on the versions tab', () => {
    const { root, backend } = render('VIEWER', prompt(), { tab: 'versions', from: '1', to: '3' });
    expect(selectedTab(root)).toBe('Versions');
    const diff = backend.expectOne((r) => r.url.endsWith('/diff'));
    expect([diff.request.params.get('from'), diff.request.params.get('to')]).toEqual(['1', '3']);
    diff.flush({ from: 1, to: 3, fields: {} });
    backend.match(() => true).forEach((req) => req.flush({ items: [], nextCursor: null }));
    TestBed.tick();
    expect(root.textContent).toContain('Versions 1 and 3 are identical.');
    backend.verify();
  });
});
