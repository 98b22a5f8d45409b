import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModel } from 'ai';
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

/**
 * A Vercel AI SDK language model for a model id under these credentials. OpenAI and
 * OpenAI-compatible endpoints use the chat completions API (what compatible servers implement).
 */
export function languageModel(
  credentials: ProviderCredentials,
  modelId: string,
  options: { allowPrivate: boolean },
): LanguageModel {
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
