/** The model providers a key can be for; `openai-compatible` is any endpoint speaking OpenAI's chat API. */
export const PROVIDERS = ['openai', 'anthropic', 'google', 'openai-compatible'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Where each provider's API lives when a key has no base URL of its own. */
export const DEFAULT_BASE_URLS: Record<Exclude<Provider, 'openai-compatible'>, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta',
};

/**
 * The model a key test asks for one output token from, unless the request names one. Small,
 * cheap models; an OpenAI-compatible endpoint uses the first model it lists.
 */
export const TEST_MODELS: Record<Exclude<Provider, 'openai-compatible'>, string> = {
  openai: 'gpt-4.1-nano',
  anthropic: 'claude-haiku-4-5',
  google: 'gemini-2.5-flash-lite',
};

/** What is kept of a key for display: its last four characters. */
export const last4 = (apiKey: string) => apiKey.slice(-4);
