import {
  clearModelCache,
  languageModel,
  MODEL_CACHE_MAX,
  MODEL_CACHE_TTL_MS,
  modelCacheSize,
  ProviderCredentials,
} from './provider-clients';

const creds = (apiKey: string, over: Partial<ProviderCredentials> = {}): ProviderCredentials => ({
  provider: 'openai',
  apiKey,
  baseUrl: 'https://api.example.test/v1',
  ...over,
});
const opts = { allowPrivate: false };

describe('languageModel (model client cache)', () => {
  afterEach(() => {
    clearModelCache();
    jest.restoreAllMocks();
  });

  it('reuses the client of the same credentials, model and address rule', () => {
    const a = languageModel(creds('sk-one'), 'gpt-4o', opts);
    expect(languageModel(creds('sk-one'), 'gpt-4o', opts)).toBe(a);
    expect(a.modelId).toBe('gpt-4o');
    expect(modelCacheSize()).toBe(1);
  });

  it('builds another client for another key, base URL, provider, model or address rule', () => {
    const a = languageModel(creds('sk-one'), 'gpt-4o', opts);
    const others = [
      languageModel(creds('sk-two'), 'gpt-4o', opts),
      languageModel(creds('sk-one', { baseUrl: 'https://other.example.test/v1' }), 'gpt-4o', opts),
      languageModel(creds('sk-one', { provider: 'openai-compatible' }), 'gpt-4o', opts),
      languageModel(creds('sk-one'), 'gpt-4o-mini', opts),
      languageModel(creds('sk-one'), 'gpt-4o', { allowPrivate: true }),
    ];
    for (const o of others) expect(o).not.toBe(a);
    expect(new Set(others).size).toBe(others.length);
    expect(modelCacheSize()).toBe(6);
  });

  it('builds the client again once MODEL_CACHE_TTL_MS has passed', () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const a = languageModel(creds('sk-one'), 'gpt-4o', opts);
    clock.mockReturnValue(now + MODEL_CACHE_TTL_MS - 1);
    expect(languageModel(creds('sk-one'), 'gpt-4o', opts)).toBe(a);
    clock.mockReturnValue(now + MODEL_CACHE_TTL_MS);
    const b = languageModel(creds('sk-one'), 'gpt-4o', opts);
    expect(b).not.toBe(a);
    expect(modelCacheSize()).toBe(1);
  });

  it('keeps at most MODEL_CACHE_MAX clients, dropping the least recently used', () => {
    const first = languageModel(creds('sk-0'), 'gpt-4o', opts);
    const second = languageModel(creds('sk-1'), 'gpt-4o', opts);
    for (let i = 2; i < MODEL_CACHE_MAX; i++) languageModel(creds(`sk-${i}`), 'gpt-4o', opts);
    // Using the first makes the second the least recently used.
    expect(languageModel(creds('sk-0'), 'gpt-4o', opts)).toBe(first);
    languageModel(creds('sk-new'), 'gpt-4o', opts);
    expect(modelCacheSize()).toBe(MODEL_CACHE_MAX);
    expect(languageModel(creds('sk-0'), 'gpt-4o', opts)).toBe(first);
    expect(languageModel(creds('sk-1'), 'gpt-4o', opts)).not.toBe(second);
    expect(modelCacheSize()).toBe(MODEL_CACHE_MAX);
  });
});
