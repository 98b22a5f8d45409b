import { TestBed } from '@angular/core/testing';
import {
  answerPending,
  FakeFetch,
  openPrompt,
  playgroundProviders,
  run,
  settle,
  setUpStores,
  signIn,
} from '../testing/playground-fixtures';
import { PlaygroundStore } from './playground.store';

describe('PlaygroundStore', () => {
  it('streams a run of a saved prompt with the session credentials and ends with its usage', async () => {
    const { store, backend, fakeFetch } = await setUpStores();
    await openPrompt(store, backend);
    expect(store.model()).toBe('gpt-5-mini');
    expect(store.temperature()).toBe(0.3);
    store.selector.set('l:production');
    TestBed.tick();
    // The label points at v2, whose own variables the form shows.
    expect(answerPending(backend)).toEqual(['GET /api/v1/prompts/p1/versions/2']);
    await settle();
    expect(store.variables().map((v) => v.name)).toEqual(['name']);
    expect(store.canSubmit()).toBe(true);

    const running = store.run();
    const exchange = fakeFetch.last();
    expect(exchange.url).toBe('/api/v1/prompts/p1/run');
    expect(exchange.init.method).toBe('POST');
    expect(exchange.headers).toMatchObject({
      Authorization: 'Bearer tok',
      'X-Organization-Id': 'o1',
      Accept: 'text/event-stream',
      'Content-Type': 'application/json',
    });
    expect(exchange.body).toEqual({
      variables: { name: 'Ann' },
      model: 'gpt-5-mini',
      settings: { temperature: 0.3 },
      label: 'production',
    });
    expect(store.phase()).toBe('running');
    expect(store.canSubmit()).toBe(false);

    exchange.open();
    exchange.send('delta', { text: 'Hello' });
    await settle();
    expect(store.output()).toBe('Hello');
    exchange.write('event: delta\ndata: {"text":" Ann"}\n\nevent: done\ndata: ');
    await settle();
    expect(store.output()).toBe('Hello Ann');
    expect(store.phase()).toBe('running');
    exchange.write(`${JSON.stringify(run())}\n\n`);
    exchange.close();
    await running;
    expect(store.phase()).toBe('done');
    expect(store.lastRun()?.usage).toEqual({ inputTokens: 12, outputTokens: 3 });
    // The recent runs list is read again with the new run.
    TestBed.tick();
    expect(answerPending(backend, { runs: [{ ...run() }] })).toContain(
      'GET /api/v1/runs?limit=20&promptId=p1',
    );
  });

  it('stops a run: the request is aborted and the run shows as stopped with what arrived', async () => {
    const { store, backend, fakeFetch } = await setUpStores();
    await openPrompt(store, backend);
    const running = store.run();
    const exchange = fakeFetch.last();
    exchange.open();
    exchange.send('delta', { text: 'Partial' });
    await settle();
    store.stop();
    await running;
    expect(exchange.aborted).toBe(true);
    expect(store.phase()).toBe('canceled');
    expect(store.output()).toBe('Partial');
    expect(store.failure()).toBeNull();
  });

  it('runs scratch content through /playground/run with its placeholders as required variables', async () => {
    const { store, backend, fakeFetch } = await setUpStores();
    store.setMode('scratch');
    store.scratch.set('Summarise {{text}}');
    store.chooseModel('claude-sonnet-4-5');
    TestBed.tick();
    answerPending(backend);
    expect(store.variables()).toEqual([{ name: 'text', type: 'text', required: true }]);
    expect(store.canSubmit()).toBe(false);
    expect(store.estimate()).toEqual({ state: 'idle', reason: '' });
    store.typedValues.set({ text: 'the news' });
    expect(store.canSubmit()).toBe(true);
    const running = store.run();
    const exchange = fakeFetch.last();
    expect(exchange.url).toBe('/api/v1/playground/run');
    expect(exchange.body).toEqual({
      content: 'Summarise {{text}}',
      variables: { text: 'the news' },
      model: 'claude-sonnet-4-5',
    });
    exchange.open();
    exchange.send('done', run({ promptId: null, version: null, output: 'News.' }));
    exchange.close();
    await running;
    expect(store.output()).toBe('News.');
  });

  it('shows a missing key with a link to the provider keys page, and a rate limit with its Retry-After', async () => {
    const { store, backend, fakeFetch } = await setUpStores();
    await openPrompt(store, backend);
    let running = store.run();
    fakeFetch.last().refuse(409, { title: 'No provider key for this model', code: 'provider_key_missing' });
    await running;
    expect(store.phase()).toBe('error');
    expect(store.failure()).toMatchObject({
      code: 'provider_key_missing',
      link: { path: '/provider-keys', label: 'Provider keys' },
    });

    running = store.run();
    fakeFetch
      .last()
      .refuse(
        429,
        { title: 'Rate limited', code: 'provider_rate_limited', providerStatus: 429 },
        { 'Retry-After': '20' },
      );
    await running;
    expect(store.failure()).toMatchObject({
      code: 'provider_rate_limited',
      retryAfter: 20,
      providerStatus: 429,
    });
    expect(store.failure()?.message).toContain('Try again in 20 s.');
  });

  it('refreshes an expired access token once and sends the run again with the new one', async () => {
    const { store, backend, fakeFetch } = await setUpStores();
    await openPrompt(store, backend);
    const running = store.run();
    fakeFetch.last().refuse(401, { title: 'Unauthorized', code: 'unauthorized' });
    await settle();
    backend.expectOne('/api/v1/auth/refresh').flush({ accessToken: 'fresh', expiresIn: 900 });
    await settle();
    expect(fakeFetch.exchanges).toHaveLength(2);
    const retry = fakeFetch.last();
    expect(retry.headers).toMatchObject({ Authorization: 'Bearer fresh', 'X-Organization-Id': 'o1' });
    retry.open();
    retry.send('done', run());
    retry.close();
    await running;
    expect(store.phase()).toBe('done');
  });

  it('puts the messages of invalid variables under their names (422)', async () => {
    const { store, backend, fakeFetch } = await setUpStores();
    await openPrompt(store, backend);
    const running = store.run();
    fakeFetch.last().refuse(422, {
      title: 'Variables missing or of the wrong type',
      code: 'prompt_variables_invalid',
      errors: [{ field: 'variables.tone', message: 'tone must be one of warm, formal' }],
    });
    await running;
    expect(store.failure()?.variableErrors).toEqual({ tone: 'tone must be one of warm, formal' });
  });

  it('shows a provider failure that arrives as an error event after some output', async () => {
    const { store, backend, fakeFetch } = await setUpStores();
    await openPrompt(store, backend);
    const running = store.run();
    const exchange = fakeFetch.last();
    exchange.open();
    exchange.send('delta', { text: 'Hel' });
    exchange.send('error', {
      type: 'about:blank',
      title: 'The model provider failed',
      status: 502,
      code: 'provider_error',
      providerStatus: 500,
    });
    exchange.close();
    await running;
    expect(store.phase()).toBe('error');
    expect(store.output()).toBe('Hel');
    expect(store.failure()).toMatchObject({ code: 'provider_error', providerStatus: 500 });
  });

  it('estimates the cost of a saved prompt once the input stops changing', async () => {
    const { store, backend } = await setUpStores();
    await openPrompt(store, backend);
    expect(store.estimate().state).not.toBe('ready');
    await new Promise((resolve) => setTimeout(resolve, 450));
    const estimate = backend.expectOne('/api/v1/prompts/p1/estimate');
    expect(estimate.request.body).toEqual({ variables: { name: 'Ann' }, model: 'gpt-5-mini' });
    estimate.flush({ inputTokens: 14, estimatedOutputTokens: 500, costUsd: 0.0010035, exact: true });
    expect(store.estimate()).toEqual({
      state: 'ready',
      estimate: { inputTokens: 14, estimatedOutputTokens: 500, costUsd: 0.0010035, exact: true },
    });
  });

  it('lets a VIEWER run nothing and loads no runs or keys', async () => {
    const fakeFetch = new FakeFetch();
    TestBed.configureTestingModule({ providers: [...playgroundProviders(fakeFetch), PlaygroundStore] });
    const backend = signIn('VIEWER');
    const store = TestBed.inject(PlaygroundStore);
    TestBed.tick();
    const asked = answerPending(backend);
    expect(asked.some((url) => url.includes('/runs') || url.includes('/provider-keys'))).toBe(false);
    expect(store.canRun()).toBe(false);
    await store.run();
    expect(fakeFetch.exchanges).toHaveLength(0);
  });
});
