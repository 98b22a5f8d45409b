import { TestBed } from '@angular/core/testing';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { ProviderKey } from '../../../provider-keys/data/provider-keys.api';
import {
  answerPending,
  FakeFetch,
  OPENAI_KEY,
  playgroundProviders,
  run,
  settle,
  signIn,
} from '../../testing/playground-fixtures';
import { PlaygroundPage } from './playground-page';

async function render(options: { role?: 'EDITOR' | 'VIEWER'; keys?: ProviderKey[] } = {}) {
  const fakeFetch = new FakeFetch();
  TestBed.configureTestingModule({ imports: [PlaygroundPage], providers: playgroundProviders(fakeFetch) });
  const backend = signIn(options.role ?? 'EDITOR');
  const fixture = TestBed.createComponent(PlaygroundPage);
  fixture.componentRef.setInput('prompt', 'p1');
  TestBed.tick();
  answerPending(backend, { keys: options.keys });
  await settle();
  answerPending(backend, { keys: options.keys });
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  return { fixture, backend, fakeFetch, root };
}

function type(root: HTMLElement, variable: string, value: string): void {
  const input = root.querySelector<HTMLInputElement>(`input[data-variable="${variable}"]`);
  if (!input) throw new Error(`No field for ${variable}`);
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

const runButton = (root: HTMLElement) => getByRole(root, 'button', 'Run') as HTMLButtonElement;

describe('PlaygroundPage', () => {
  it('enables Run only once the required variables are filled, then streams the output and its statistics', async () => {
    const { root, fakeFetch } = await render();
    expect(getByRole(root, 'heading', 'Playground')).toBeTruthy();
    expect(root.querySelector('[aria-label="Variables"]')?.textContent).toContain('name');
    expect(runButton(root).disabled).toBe(true);
    expect(root.textContent).toContain('Required: name');

    type(root, 'name', 'Ann');
    await settle();
    expect(runButton(root).disabled).toBe(false);

    runButton(root).click();
    await settle();
    const exchange = fakeFetch.last();
    expect(exchange.url).toBe('/api/v1/prompts/p1/run');
    expect(exchange.body).toMatchObject({ variables: { name: 'Ann' }, model: 'gpt-5-mini' });
    exchange.open();
    exchange.send('delta', { text: 'Hello' });
    await settle();
    const output = root.querySelector('[data-testid="run-output"]');
    expect(output?.textContent).toBe('Hello');
    expect(output?.getAttribute('aria-live')).toBe('polite');
    exchange.send('delta', { text: ' Ann' });
    await settle();
    expect(output?.textContent).toBe('Hello Ann');

    exchange.send('done', run());
    exchange.close();
    await settle();
    const stats = root.querySelector('[aria-label="Run statistics"]')?.textContent ?? '';
    expect(stats).toContain('12 in · 3 out');
    expect(stats).toContain('0.84 s');
    expect(runButton(root).disabled).toBe(false);
  });

  it('runs with Ctrl+Enter and stops with the Stop button, which aborts the request', async () => {
    const { root, fakeFetch } = await render();
    type(root, 'name', 'Ann');
    await settle();
    root.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    await settle();
    const exchange = fakeFetch.last();
    exchange.open();
    exchange.send('delta', { text: 'Partial' });
    await settle();
    expect(queryAllByRole(root, 'button', 'Run')).toHaveLength(0);

    getByRole(root, 'button', 'Stop').click();
    await settle();
    expect(exchange.aborted).toBe(true);
    expect(root.textContent).toContain('Stopped.');
    expect(root.querySelector('[data-testid="run-output"]')?.textContent).toBe('Partial');
    expect(runButton(root).disabled).toBe(false);
  });

  it('offers an "Add a key" link when the organization has no key for the model’s provider', async () => {
    const anthropicOnly: ProviderKey[] = [
      { ...OPENAI_KEY, id: 'k2', provider: 'anthropic', name: 'Anthropic' },
    ];
    const { root } = await render({ keys: anthropicOnly });
    const link = getByRole(root, 'link', 'Add a key');
    expect(link.getAttribute('href')).toBe('/provider-keys');
    expect(root.textContent).toContain('No OpenAI key in this organization.');
  });

  it('links to the provider keys page when the server answers provider_key_missing', async () => {
    const { root, fakeFetch } = await render();
    type(root, 'name', 'Ann');
    await settle();
    runButton(root).click();
    await settle();
    fakeFetch.last().refuse(409, { title: 'No provider key for this model', code: 'provider_key_missing' });
    await settle();
    const alert = getByRole(root, 'alert');
    expect(alert.textContent).toContain('no API key for this model’s provider');
    expect(getByRole(alert, 'link', 'Provider keys').getAttribute('href')).toBe('/provider-keys');
  });

  it('tells a VIEWER that running prompts is not for their role', async () => {
    const { root, fakeFetch } = await render({ role: 'VIEWER' });
    expect(getByRole(root, 'heading', 'Not available for your role')).toBeTruthy();
    expect(queryAllByRole(root, 'button', 'Run')).toHaveLength(0);
    expect(fakeFetch.exchanges).toHaveLength(0);
  });
});
