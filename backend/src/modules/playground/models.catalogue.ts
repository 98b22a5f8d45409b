import type { Provider } from '../provider-keys/providers';

/**
 * The model catalogue: every model the playground offers by name, with its context window and list
 * prices in US dollars per million tokens, as the providers published them on `PRICES_AS_OF`.
 * Keep this the only place list prices live: they are copied into the dated `model_prices` table
 * (at migration and at boot), and every price is read from there through `app_model_price`, which
 * puts an organization's own price (`organization_model_prices`) first.
 *
 * Sources (standard, non-batch, non-cached tiers): openai.com/api/pricing,
 * anthropic.com/pricing (API), ai.google.dev/gemini-api/docs/pricing. Where a provider charges
 * more above a prompt size (Gemini 2.5 Pro above 200k tokens, Claude Sonnet's 1M-context beta),
 * the catalogue holds the base tier. OpenAI-compatible endpoints (Azure, vLLM, Ollama…) accept any
 * model id: a run on one is priced at the organization's price for the id if it set one, else from
 * this table if the id is listed here, else at 0.
 */
export const PRICES_AS_OF = '2025-10-15';

export type CatalogueProvider = Exclude<Provider, 'openai-compatible'>;

export interface CatalogueModel {
  provider: CatalogueProvider;
  id: string;
  name: string;
  /** Input plus output tokens the model accepts in one call. */
  contextWindow: number;
  inputPerMTokUsd: number;
  outputPerMTokUsd: number;
}

export const MODEL_CATALOGUE: readonly CatalogueModel[] = [
  // OpenAI
  {
    provider: 'openai',
    id: 'gpt-5',
    name: 'GPT-5',
    contextWindow: 400_000,
    inputPerMTokUsd: 1.25,
    outputPerMTokUsd: 10,
  },
  {
    provider: 'openai',
    id: 'gpt-5-mini',
    name: 'GPT-5 mini',
    contextWindow: 400_000,
    inputPerMTokUsd: 0.25,
    outputPerMTokUsd: 2,
  },
  {
    provider: 'openai',
    id: 'gpt-5-nano',
    name: 'GPT-5 nano',
    contextWindow: 400_000,
    inputPerMTokUsd: 0.05,
    outputPerMTokUsd: 0.4,
  },
  {
    provider: 'openai',
    id: 'gpt-4.1',
    name: 'GPT-4.1',
    contextWindow: 1_047_576,
    inputPerMTokUsd: 2,
    outputPerMTokUsd: 8,
  },
  {
    provider: 'openai',
    id: 'gpt-4.1-mini',
    name: 'GPT-4.1 mini',
    contextWindow: 1_047_576,
    inputPerMTokUsd: 0.4,
    outputPerMTokUsd: 1.6,
  },
  {
    provider: 'openai',
    id: 'gpt-4.1-nano',
    name: 'GPT-4.1 nano',
    contextWindow: 1_047_576,
    inputPerMTokUsd: 0.1,
    outputPerMTokUsd: 0.4,
  },
  {
    provider: 'openai',
    id: 'gpt-4o',
    name: 'GPT-4o',
    contextWindow: 128_000,
    inputPerMTokUsd: 2.5,
    outputPerMTokUsd: 10,
  },
  {
    provider: 'openai',
    id: 'gpt-4o-mini',
    name: 'GPT-4o mini',
    contextWindow: 128_000,
    inputPerMTokUsd: 0.15,
    outputPerMTokUsd: 0.6,
  },
  {
    provider: 'openai',
    id: 'o3',
    name: 'o3',
    contextWindow: 200_000,
    inputPerMTokUsd: 2,
    outputPerMTokUsd: 8,
  },
  {
    provider: 'openai',
    id: 'o4-mini',
    name: 'o4-mini',
    contextWindow: 200_000,
    inputPerMTokUsd: 1.1,
    outputPerMTokUsd: 4.4,
  },
  // Anthropic
  {
    provider: 'anthropic',
    id: 'claude-opus-4-1',
    name: 'Claude Opus 4.1',
    contextWindow: 200_000,
    inputPerMTokUsd: 15,
    outputPerMTokUsd: 75,
  },
  {
    provider: 'anthropic',
    id: 'claude-sonnet-4-5',
    name: 'Claude Sonnet 4.5',
    contextWindow: 200_000,
    inputPerMTokUsd: 3,
    outputPerMTokUsd: 15,
  },
  {
    provider: 'anthropic',
    id: 'claude-sonnet-4-0',
    name: 'Claude Sonnet 4',
    contextWindow: 200_000,
    inputPerMTokUsd: 3,
    outputPerMTokUsd: 15,
  },
  {
    provider: 'anthropic',
    id: 'claude-haiku-4-5',
    name: 'Claude Haiku 4.5',
    contextWindow: 200_000,
    inputPerMTokUsd: 1,
    outputPerMTokUsd: 5,
  },
  {
    provider: 'anthropic',
    id: 'claude-3-5-haiku-latest',
    name: 'Claude Haiku 3.5',
    contextWindow: 200_000,
    inputPerMTokUsd: 0.8,
    outputPerMTokUsd: 4,
  },
  // Google
  {
    provider: 'google',
    id: 'gemini-2.5-pro',
    name: 'Gemini 2.5 Pro',
    contextWindow: 1_048_576,
    inputPerMTokUsd: 1.25,
    outputPerMTokUsd: 10,
  },
  {
    provider: 'google',
    id: 'gemini-2.5-flash',
    name: 'Gemini 2.5 Flash',
    contextWindow: 1_048_576,
    inputPerMTokUsd: 0.3,
    outputPerMTokUsd: 2.5,
  },
  {
    provider: 'google',
    id: 'gemini-2.5-flash-lite',
    name: 'Gemini 2.5 Flash-Lite',
    contextWindow: 1_048_576,
    inputPerMTokUsd: 0.1,
    outputPerMTokUsd: 0.4,
  },
  {
    provider: 'google',
    id: 'gemini-2.0-flash',
    name: 'Gemini 2.0 Flash',
    contextWindow: 1_048_576,
    inputPerMTokUsd: 0.1,
    outputPerMTokUsd: 0.4,
  },
];

const BY_ID = new Map(MODEL_CATALOGUE.map((m) => [m.id, m]));

/** The catalogue entry of a model id, if it has one. */
export const catalogueModel = (id: string): CatalogueModel | undefined => BY_ID.get(id);
