import { TestBed } from '@angular/core/testing';
import { getByRole } from '../../../../../testing/test-helpers';
import { analyticsProviders, settle, signIn, verifyAndReset } from '../../testing/analytics-fixtures';
import { PromptUsage } from './prompt-usage';

async function render() {
  TestBed.configureTestingModule({ imports: [PromptUsage], providers: analyticsProviders() });
  const backend = signIn('VIEWER');
  const fixture = TestBed.createComponent(PromptUsage);
  fixture.componentRef.setInput('promptId', 'p1');
  fixture.componentRef.setInput('now', new Date('2026-12-05T10:00:00.000Z'));
  await settle(fixture);
  return { fixture, backend, el: fixture.nativeElement as HTMLElement };
}

describe('PromptUsage', () => {
  afterEach(verifyAndReset);

  it('shows the last 30 days of a prompt to any member: totals, a described sparkline and a table', async () => {
    const { fixture, backend, el } = await render();
    const req = backend.expectOne(
      '/api/v1/prompts/p1/usage?from=2026-11-06T00:00:00.000Z&to=2026-12-06T00:00:00.000Z',
    );
    req.flush({
      runs: 7,
      fetches: 1200,
      costUsd: 0.42,
      points: [
        { t: '2026-12-01T00:00:00.000Z', runs: 2, costUsd: 0.12 },
        { t: '2026-12-03T00:00:00.000Z', runs: 5, costUsd: 0.3 },
      ],
    });
    await settle(fixture);

    expect(el.textContent).toContain('1,200');
    expect(el.textContent).toContain('$0.42');
    const svg = getByRole(el, 'img');
    expect(svg.getAttribute('aria-label')).toBe(
      'Runs per day over the last 30 days: 7 in total, most on 2026-12-03 (5)',
    );
    expect(svg.querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(30);
    const rows = el.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(30);
    expect(rows[27].textContent).toContain('2026-12-03');
    expect(rows[27].textContent).toContain('$0.30');
  });

  it('says so when usage cannot be loaded', async () => {
    const { fixture, backend, el } = await render();
    backend
      .expectOne((r) => r.url === '/api/v1/prompts/p1/usage')
      .flush(null, { status: 500, statusText: 'Server Error' });
    await settle(fixture);
    expect(el.textContent).toContain('Usage is not available right now.');
  });

  it('asks again for another prompt, not when the same prompt and period are set again', async () => {
    const { fixture, backend, el } = await render();
    backend
      .expectOne((r) => r.url === '/api/v1/prompts/p1/usage')
      .flush({ runs: 1, fetches: 0, costUsd: 0, points: [] });
    await settle(fixture);
    fixture.componentRef.setInput('now', new Date('2026-12-05T18:00:00.000Z'));
    await settle(fixture);
    backend.expectNone((r) => r.url === '/api/v1/prompts/p1/usage');

    fixture.componentRef.setInput('promptId', 'p2');
    await settle(fixture);
    backend
      .expectOne('/api/v1/prompts/p2/usage?from=2026-11-06T00:00:00.000Z&to=2026-12-06T00:00:00.000Z')
      .flush({ runs: 3, fetches: 4321, costUsd: 1.5, points: [] });
    await settle(fixture);
    expect(el.textContent).toContain('4,321');
    expect(el.textContent).toContain('$1.50');
  });
});
