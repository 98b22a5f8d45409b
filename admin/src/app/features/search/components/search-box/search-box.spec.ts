import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, Routes } from '@angular/router';
import { queryAllByRole } from '../../../../../testing/test-helpers';
import { SearchHit, SearchResponse } from '../../data/search.types';
import { INSTANT_DEBOUNCE_MS } from '../../data/quick-search.store';
import { isTypingTarget } from '../../../../shared/ui/keyboard/typing-target';
import { SearchBox } from './search-box';

function hit(id: string, title: string): SearchHit {
  return {
    id,
    slug: id,
    title,
    description: '',
    tags: [],
    status: 'draft',
    authorId: null,
    categoryId: null,
    updatedAt: '2026-11-20T10:00:00.000Z',
    score: 1,
    highlights: { title: title.replace(/summar\w*/i, (m) => `<mark>${m}</mark>`) },
  };
}

function page(items: SearchHit[]): SearchResponse {
  return { items, facets: null, total: items.length, nextCursor: null, engine: 'postgres' };
}

const pause = (ms = INSTANT_DEBOUNCE_MS + 50) => new Promise((resolve) => setTimeout(resolve, ms));

@Component({ template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class Blank {}

async function render(routes: Routes = []) {
  TestBed.configureTestingModule({
    imports: [SearchBox],
    providers: [provideRouter(routes), provideHttpClient(), provideHttpClientTesting()],
  });
  const fixture = TestBed.createComponent(SearchBox);
  document.body.appendChild(fixture.nativeElement as HTMLElement);
  await fixture.whenStable();
  const input = (fixture.nativeElement as HTMLElement).querySelector('input')!;
  const type = async (value: string) => {
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  };
  return { fixture, input, type, backend: TestBed.inject(HttpTestingController) };
}

describe('SearchBox', () => {
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    document.body.innerHTML = '';
  });

  it('is a labelled combobox', async () => {
    const { input, fixture } = await render();
    expect(input.getAttribute('role')).toBe('combobox');
    const label = (fixture.nativeElement as HTMLElement).querySelector('mat-label');
    expect(label?.textContent).toContain('Search prompts');
  });

  it('asks once after typing pauses and shows highlighted hits', async () => {
    const { type, input, fixture, backend } = await render();
    input.focus();
    backend.expectOne('/api/v1/search/recent').flush([]);
    await type('s');
    await type('su');
    await type('sumarize');
    backend.expectNone(() => true);
    await pause();

    const req = backend.expectOne((r) => r.url === '/api/v1/search');
    expect(req.request.params.get('q')).toBe('sumarize');
    expect(req.request.params.get('limit')).toBe('6');
    // Previews are not recent searches: only the submitted search is recorded.
    expect(req.request.params.get('record')).toBe('false');
    req.flush(page([hit('a', 'Summarize meeting notes')]));
    await fixture.whenStable();

    const options = queryAllByRole(document.body, 'option');
    expect(options.map((o) => o.textContent?.trim())).toEqual([
      'Summarize meeting notes',
      'See all results for “sumarize” (1)',
    ]);
    expect(options[0].querySelector('mark')?.textContent).toBe('Summarize');
  });

  it('cancels the older request when the text changes again', async () => {
    const { type, input, fixture, backend } = await render();
    input.focus();
    backend.expectOne('/api/v1/search/recent').flush([]);
    await type('sum');
    await pause();
    const first = backend.expectOne((r) => r.params.get('q') === 'sum');
    await type('summ');
    await pause();
    expect(first.cancelled).toBe(true);
    backend.expectOne((r) => r.params.get('q') === 'summ').flush(page([hit('b', 'Summary')]));
    await fixture.whenStable();
    expect(document.body.textContent).toContain('See all results for “summ” (1)');
  });

  it('shows recent searches when empty and focused', async () => {
    const { input, fixture, backend } = await render();
    input.focus();
    backend.expectOne('/api/v1/search/recent').flush([
      { query: 'sumarize', filters: { tags: ['meetings'] }, searchedAt: '2026-11-25T10:00:00Z' },
      { query: '', filters: { favorites: true }, searchedAt: '2026-11-25T09:00:00Z' },
    ]);
    await fixture.whenStable();
    const options = queryAllByRole(document.body, 'option').map((o) => o.textContent?.trim());
    expect(options).toEqual(['“sumarize” · tags: meetings', 'my favorites']);
  });

  it('opens the results page on Enter', async () => {
    const { type, input, fixture, backend } = await render();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    input.focus();
    backend.expectOne('/api/v1/search/recent').flush([]);
    await type('release notes');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/search'], { queryParams: { q: 'release notes' } });
    await pause();
    backend.match(() => true).forEach((r) => r.flush(page([])));
  });

  it('shows the results page query there and empties itself when the user leaves search', async () => {
    const { input, fixture } = await render([
      { path: 'search', component: Blank },
      { path: '', component: Blank },
    ]);
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/search?q=release%20notes');
    await fixture.whenStable();
    expect(input.value).toBe('release notes');

    await router.navigateByUrl('/search?q=onboarding');
    await fixture.whenStable();
    expect(input.value).toBe('onboarding');

    await router.navigateByUrl('/');
    await fixture.whenStable();
    expect(input.value).toBe('');
  });

  it('focuses on / unless the user is typing in a field', async () => {
    const { input } = await render();
    const other = document.createElement('textarea');
    document.body.appendChild(other);
    other.focus();
    other.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true }));
    expect(document.activeElement).toBe(other);

    other.blur();
    const event = new KeyboardEvent('keydown', { key: '/', bubbles: true, cancelable: true });
    document.body.dispatchEvent(event);
    expect(document.activeElement).toBe(input);
    expect(event.defaultPrevented).toBe(true);
    TestBed.inject(HttpTestingController).expectOne('/api/v1/search/recent').flush([]);
  });

  it('says when the instant search failed and still offers the results page', async () => {
    const { type, input, fixture, backend } = await render();
    input.focus();
    backend.expectOne('/api/v1/search/recent').flush([]);
    await type('broken');
    await pause();
    backend
      .expectOne((r) => r.url === '/api/v1/search')
      .flush({ title: 'Internal Server Error', status: 500 }, { status: 500, statusText: 'Server Error' });
    await fixture.whenStable();
    const options = queryAllByRole(document.body, 'option').map((o) => o.textContent?.trim());
    expect(options).toEqual([
      'Search failed. Press Enter to try the results page.',
      'See all results for “broken”',
    ]);
  });

  it('opens the chosen prompt and empties the box', async () => {
    const { type, input, fixture, backend } = await render();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    input.focus();
    backend.expectOne('/api/v1/search/recent').flush([]);
    await type('summ');
    await pause();
    backend.expectOne((r) => r.url === '/api/v1/search').flush(page([hit('p1', 'Summary')]));
    await fixture.whenStable();
    queryAllByRole(document.body, 'option', 'Summary')[0].click();
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/prompts', 'p1']);
    expect(input.value).toBe('');
    // The panel hands the focus back to the field, which asks for the recent searches again.
    backend.match('/api/v1/search/recent').forEach((r) => r.flush([]));
  });

  it('runs a chosen recent search again with its filters', async () => {
    const { input, fixture, backend } = await render();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    input.focus();
    backend
      .expectOne('/api/v1/search/recent')
      .flush([{ query: 'sumarize', filters: { tags: ['meetings'] }, searchedAt: '2026-11-25T10:00:00Z' }]);
    await fixture.whenStable();
    queryAllByRole(document.body, 'option', '“sumarize” · tags: meetings')[0].click();
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/search'], {
      queryParams: expect.objectContaining({ q: 'sumarize', tags: 'meetings' }) as unknown,
    });
    expect(input.value).toBe('sumarize');
    backend.match('/api/v1/search/recent').forEach((r) => r.flush([]));
  });

  it('offers nothing when the recent searches cannot be loaded', async () => {
    const { input, fixture, backend } = await render();
    input.focus();
    backend
      .expectOne('/api/v1/search/recent')
      .flush({ title: 'Unavailable', status: 503 }, { status: 503, statusText: 'Unavailable' });
    await fixture.whenStable();
    expect(queryAllByRole(document.body, 'option')).toHaveLength(0);
  });
});

describe('isTypingTarget', () => {
  it('tells fields and editors from other targets', () => {
    expect(isTypingTarget(document.createElement('input'))).toBe(true);
    expect(isTypingTarget(document.createElement('select'))).toBe(true);
    const editable = document.createElement('div');
    editable.setAttribute('contenteditable', 'true');
    const inside = document.createElement('span');
    editable.appendChild(inside);
    document.body.appendChild(editable);
    expect(isTypingTarget(inside)).toBe(true);
    editable.setAttribute('contenteditable', 'false');
    expect(isTypingTarget(inside)).toBe(false);
    expect(isTypingTarget(document.createElement('button'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
    editable.remove();
  });
});
