import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { evaluation } from '../../data/evaluations-fixtures';
import type { Evaluation } from '../../data/evaluations.api';
import { EvaluationsPanel } from './evaluations-panel';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});
const LIST = '/api/v1/prompts/p1/evaluations';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EvaluationsPanel],
  template: `<pv-evaluations-panel [promptId]="'p1'" [version]="version()" />`,
})
class Host {
  readonly version = signal(2);
}

const settle = async (fixture: { whenStable: () => Promise<unknown> }) => {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
};

async function render(role: MembershipRole, history: Evaluation[]) {
  TestBed.configureTestingModule({
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const fixture = TestBed.createComponent(Host);
  TestBed.tick();
  if (role !== 'VIEWER')
    backend.expectOne('/api/v1/models').flush([
      {
        provider: 'anthropic',
        id: 'claude-sonnet-4-5',
        name: 'Claude Sonnet 4.5',
        contextWindow: 200000,
        inputPerMTokUsd: 3,
        outputPerMTokUsd: 15,
        pricesAsOf: '2025-10-15',
      },
    ]);
  backend.expectOne((r) => r.url === LIST).flush({ items: history, nextCursor: null });
  await settle(fixture);
  return { fixture, backend, root: fixture.nativeElement as HTMLElement };
}

/** The evaluation shown in full (an <article> named after its version). */
const article = (root: HTMLElement, version: number) => {
  const found = root.querySelectorAll<HTMLElement>(`article[aria-label="Evaluation of version ${version}"]`);
  expect(found).toHaveLength(1);
  return found[0];
};
const meters = (root: HTMLElement) =>
  queryAllByRole(root, 'meter').map((m) => [
    m.getAttribute('aria-labelledby'),
    m.getAttribute('aria-valuenow'),
  ]);

describe('EvaluationsPanel', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows an empty state before the first evaluation, and no Evaluate action to a VIEWER', async () => {
    const { root } = await render('VIEWER', []);
    expect(getByRole(root, 'heading', 'No evaluations yet')).toBeTruthy();
    expect(queryAllByRole(root, 'button', /Evaluate/)).toHaveLength(0);
    expect(root.textContent).toContain('owners, admins and editors run them');
  });

  it('shows the five scores as bars, the overall, suggestions with examples and ambiguities', async () => {
    const { root } = await render('VIEWER', [evaluation('e1')]);
    expect(meters(root)).toEqual([
      ['metric-relevance', '4.5'],
      ['metric-clarity', '4.5'],
      ['metric-depth', '4.5'],
      ['metric-creativity', '3.9'],
      ['metric-robustness', '4.5'],
    ]);
    const card = article(root, 2);
    expect(getByRole(card, 'meter', 'Adaptability Across Versions')).toBeTruthy();
    expect(card.textContent).toContain('4.5');
    expect(card.textContent).toContain('Room to improve');
    expect(getByRole(card, 'heading', 'Suggestions')).toBeTruthy();
    expect(card.textContent).toContain('Name the tone');
    expect(card.textContent).toContain('Example: Write in a warm, formal tone.');
    expect(card.textContent).toContain('"reply" could be e-mail or chat');
    expect(queryAllByRole(card, 'heading', 'Key strengths')).toHaveLength(0);
  });

  it('shows strengths, and no suggestions, for an excellent evaluation; the history picks one', async () => {
    const { root, fixture } = await render('VIEWER', [
      evaluation('e2', { excellent: true, createdAt: '2026-12-02T10:00:00.000Z' }),
      evaluation('e1', { version: 1 }),
    ]);
    let card = article(root, 2);
    expect(card.textContent).toContain('Excellent');
    expect(getByRole(card, 'heading', 'Key strengths')).toBeTruthy();
    expect(card.textContent).toContain('It names the audience and the format.');
    expect(queryAllByRole(card, 'heading', 'Suggestions')).toHaveLength(0);

    const entries = queryAllByRole(getByRole(root, 'list', 'Evaluations over time'), 'button');
    expect(entries).toHaveLength(2);
    expect(entries[0].getAttribute('aria-pressed')).toBe('true');
    entries[1].click();
    await settle(fixture);
    card = article(root, 1);
    expect(getByRole(card, 'heading', 'Suggestions')).toBeTruthy();
  });

  it('evaluates the current version with the chosen output and shows the answer', async () => {
    const { root, fixture, backend } = await render('EDITOR', []);
    const output = root.querySelector<HTMLTextAreaElement>('textarea')!;
    output.value = 'Dear Ann, your invoice is attached.';
    output.dispatchEvent(new Event('input'));
    getByRole(root, 'button', /Evaluate/).click();
    await settle(fixture);
    expect(getByRole(root, 'progressbar', 'Evaluating')).toBeTruthy();
    const req = backend.expectOne((r) => r.url === LIST && r.method === 'POST');
    expect(req.request.body).toEqual({ version: 2, output: 'Dear Ann, your invoice is attached.' });
    req.flush(evaluation('e9', { excellent: true }));
    await settle(fixture);
    expect(queryAllByRole(root, 'progressbar', 'Evaluating')).toHaveLength(0);
    expect(getByRole(root, 'heading', 'Key strengths')).toBeTruthy();
    expect(queryAllByRole(root, 'heading', 'No evaluations yet')).toHaveLength(0);
  });

  it('shows why an evaluation failed as a dismissible alert', async () => {
    const { root, fixture, backend } = await render('EDITOR', []);
    getByRole(root, 'button', /Evaluate/).click();
    await settle(fixture);
    backend
      .expectOne((r) => r.url === LIST && r.method === 'POST')
      .flush(
        { type: 'about:blank', title: 'Bad answer', status: 502, code: 'evaluator_answer_invalid' },
        { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'application/problem+json' } },
      );
    await settle(fixture);
    expect(getByRole(root, 'alert').textContent).toContain('did not give a usable evaluation');
  });
});
