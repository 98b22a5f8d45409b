import type { Provider } from './provider-keys.api';

/** How the console names and draws each provider. */
export interface ProviderInfo {
  id: Provider;
  label: string;
  icon: string;
  /** What a base URL of this provider looks like (placeholder of the field). */
  baseUrlExample: string;
  /** Required for endpoints that have no default. */
  baseUrlRequired: boolean;
}

export const PROVIDERS: readonly ProviderInfo[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    icon: 'provider_openai',
    baseUrlExample: 'https://api.openai.com/v1',
    baseUrlRequired: false,
  },
  {
    id: 'anthropic',
    label: 'Anthropic',
    icon: 'provider_anthropic',
    baseUrlExample: 'https://api.anthropic.com/v1',
    baseUrlRequired: false,
  },
  {
    id: 'google',
    label: 'Google Gemini',
    icon: 'provider_google',
    baseUrlExample: 'https://generativelanguage.googleapis.com/v1beta',
    baseUrlRequired: false,
  },
  {
    id: 'openai-compatible',
    label: 'OpenAI-compatible',
    icon: 'provider_compatible',
    baseUrlExample: 'http://localhost:11434/v1',
    baseUrlRequired: true,
  },
];

export const providerInfo = (id: Provider): ProviderInfo =>
  PROVIDERS.find((p) => p.id === id) ?? PROVIDERS[0];
