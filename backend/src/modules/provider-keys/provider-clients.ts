import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { Agent, fetch as undiciFetch } from 'undici';
import {
  guardedLookup,
  PRIVATE_ADDRESS_REFUSED,
  privateLiteralHost,
} from '../../common/security/outbound-address';
import { DEFAULT_BASE_URLS, Provider } from './providers';

/** A decrypted key, ready for one call. Never logged, never stored, never put into an error. */
export interface ProviderCredentials {
  provider: Provider;
  apiKey: string;
  /** The key's own base URL; the provider's default when absent. */
  baseUrl?: string | null;
}

const dispatchers = new Map<boolean, Agent>();
function dispatcher(allowPrivate: boolean): Agent {
  let agent = dispatchers.get(allowPrivate);
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(allowPrivate) } });
    dispatchers.set(allowPrivate, agent);
  }
  return agent;
}

/**
 * The `fetch` every provider call goes through: unless private addresses are allowed, a literal
 * private host is refused before connecting and every address a name resolves to is checked at
 * connect time (the same rule as SSO metadata, `common/security/outbound-address.ts`).
 */
export function providerFetch(allowPrivate: boolean): typeof globalThis.fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const literal = allowPrivate ? undefined : privateLiteralHost(url);
    if (literal)
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error(literal), { code: PRIVATE_ADDRESS_REFUSED }),
      });
    return undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: dispatcher(allowPrivate),
    });
  }) as typeof globalThis.fetch;
}

/** The base URL calls of these credentials go to (no trailing slash). */
export const effectiveBaseUrl = (c: ProviderCredentials): string =>
  (c.baseUrl ?? (c.provider === 'openai-compatible' ? '' : DEFAULT_BASE_URLS[c.provider])).replace(
    /\/+$/,
    '',
  );

/** How long a built model client is reused, and how many are kept (least recently used dropped). */
export const MODEL_CACHE_TTL_MS = 60_000;
export const MODEL_CACHE_MAX = 256;

interface CachedModel {
  model: LanguageModelV3;
  expires: number;
}

/**
 * Model clients built lately, by everything that makes one (provider, base URL, private-address
 * rule, model id, key): a run reuses its client instead of building the provider, its settings
 * and its fetch again. In this process's memory only, for MODEL_CACHE_TTL_MS, at most
 * MODEL_CACHE_MAX entries; the key is part of the cache key, so a rotated or re-added key makes
 * a new client, and a deleted key's client is never reached again (its run path reads the key
 * row first) and expires (docs/playground.md, "Keys").
 */
const models = new Map<string, CachedModel>();

/** Forgets every cached model client (tests; a key deletion does not need it, see above). */
export function clearModelCache(): void {
  models.clear();
}

/** How many model clients are cached now (tests). */
export const modelCacheSize = (): number => models.size;

/**
 * A Vercel AI SDK language model for a model id under these credentials. OpenAI and
 * OpenAI-compatible endpoints use the chat completions API (what compatible servers implement).
 * Reused for MODEL_CACHE_TTL_MS (see `models`).
 */
export function languageModel(
  credentials: ProviderCredentials,
  modelId: string,
  options: { allowPrivate: boolean },
): LanguageModelV3 {
  const cacheKey = [
    credentials.provider,
    credentials.baseUrl ?? '',
    options.allowPrivate ? '1' : '0',
    modelId,
    credentials.apiKey,
  ].join('\0');
  const now = Date.now();
  const cached = models.get(cacheKey);
  if (cached && cached.expires > now) {
    // Most recently used last: the Map's order is the eviction order.
    models.delete(cacheKey);
    models.set(cacheKey, cached);
    return cached.model;
  }
  const model = buildModel(credentials, modelId, options);
  models.delete(cacheKey);
  models.set(cacheKey, { model, expires: now + MODEL_CACHE_TTL_MS });
  while (models.size > MODEL_CACHE_MAX) models.delete(models.keys().next().value!);
  return model;
}

function buildModel(
  credentials: ProviderCredentials,
  modelId: string,
  options: { allowPrivate: boolean },
): LanguageModelV3 {
  const fetch = providerFetch(options.allowPrivate);
  const baseURL = effectiveBaseUrl(credentials);
  const apiKey = credentials.apiKey;
  switch (credentials.provider) {
    case 'openai':
      return createOpenAI({ apiKey, baseURL, fetch }).chat(modelId);
    case 'openai-compatible':
      return createOpenAI({ apiKey, baseURL, fetch, name: 'openai-compatible' }).chat(modelId);
    case 'anthropic':
      return createAnthropic({ apiKey, baseURL, fetch })(modelId);
    case 'google':
      return createGoogleGenerativeAI({ apiKey, baseURL, fetch })(modelId);
  }
}

/** Whether an error (or one of its causes) is the private-address refusal; returns the address. */
export function refusedPrivateAddress(err: unknown): string | undefined {
  for (
    let e = err as { code?: string; message?: string; cause?: unknown } | undefined, i = 0;
    e && i < 8;
    i++
  ) {
    if (e.code === PRIVATE_ADDRESS_REFUSED) return e.message;
    e = e.cause as typeof e;
  }
  return undefined;
}
