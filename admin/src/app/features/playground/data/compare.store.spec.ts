import { MODELS, openPrompt, run, settle, setUpStores } from '../testing/playground-fixtures';

describe('CompareStore', () => {
  it('compares two targets streaming into their columns, with a failure in one and a diff of the outputs', async () => {
    const { store, compare, backend, fakeFetch } = await setUpStores();
    await openPrompt(store, backend);
    compare.start();
    compare.updateTarget(1, { selector: 'v:2', model: MODELS[1].id });
    expect(compare.drafts()).toEqual([
      { selector: 'current', model: 'gpt-5-mini' },
      { selector: 'v:2', model: 'claude-sonnet-4-5' },
    ]);
    expect(compare.canCompare()).toBe(true);
    const comparing = compare.compare();
    const exchange = fakeFetch.last();
    expect(exchange.url).toBe('/api/v1/prompts/p1/compare');
    expect(exchange.body).toEqual({
      variables: { name: 'Ann' },
      settings: { temperature: 0.3 },
      targets: [{ model: 'gpt-5-mini' }, { version: 2, model: 'claude-sonnet-4-5' }],
    });
    exchange.open();
    exchange.send('delta', { target: 1, text: 'Dear Ann' });
    exchange.send('delta', { target: 0, text: 'Hello Ann' });
    await settle();
    expect(compare.columns().map((c) => c.output)).toEqual(['Hello Ann', 'Dear Ann']);
    expect(compare.diff()).toBeNull();
    exchange.send('done', { target: 0, run: run() });
    exchange.send('done', {
      target: 1,
      run: run({ id: 'r2', version: 2, model: 'claude-sonnet-4-5', output: 'Dear Ann' }),
    });
    exchange.send('end', {});
    exchange.close();
    await comparing;
    expect(compare.columns().map((c) => c.phase)).toEqual(['done', 'done']);
    expect(compare.columns()[0].label).toBe('v3 · GPT-5 mini');
    expect(compare.diff()?.hunks).toEqual([
      { op: 'insert', text: 'Dear' },
      { op: 'delete', text: 'Hello' },
      { op: 'equal', text: ' Ann' },
    ]);
  });

  it('keeps a failed column apart from the others and stops a comparison', async () => {
    const { store, compare, backend, fakeFetch } = await setUpStores();
    await openPrompt(store, backend);
    compare.start();
    compare.addTarget();
    expect(compare.drafts()).toHaveLength(3);
    const comparing = compare.compare();
    const exchange = fakeFetch.last();
    exchange.open();
    exchange.send('error', {
      target: 2,
      problem: { title: 'No provider key for this model', status: 409, code: 'provider_key_missing' },
    });
    exchange.send('delta', { target: 0, text: 'Hi' });
    await settle();
    compare.stop();
    await comparing;
    expect(exchange.aborted).toBe(true);
    expect(store.running()).toBe(false);
    expect(compare.columns().map((c) => c.phase)).toEqual(['canceled', 'canceled', 'error']);
    expect(compare.columns()[2].failure?.link?.path).toBe('/provider-keys');
    expect(compare.phase()).toBe('done');
  });

  it('marks the playground busy while comparing, so no single run starts meanwhile', async () => {
    const { store, compare, backend, fakeFetch } = await setUpStores();
    await openPrompt(store, backend);
    compare.start();
    const comparing = compare.compare();
    expect(store.running()).toBe(true);
    expect(store.canSubmit()).toBe(false);
    expect(compare.canCompare()).toBe(false);
    const exchange = fakeFetch.last();
    exchange.open();
    exchange.send('end', {});
    exchange.close();
    await comparing;
    expect(store.running()).toBe(false);
    expect(store.canSubmit()).toBe(true);
  });

  it('clears the columns for another source and, on close, the targets too', async () => {
    const { store, compare, backend } = await setUpStores();
    await openPrompt(store, backend);
    compare.start();
    compare.columns.set([{ label: 'v3', output: 'x', phase: 'done', run: null, failure: null }]);
    compare.clear({ targets: false });
    expect(compare.columns()).toEqual([]);
    expect(compare.drafts()).toHaveLength(2);
    compare.close();
    expect(compare.drafts()).toEqual([]);
    expect(compare.phase()).toBe('idle');
  });
});
