import { APICallError, generateText, RetryError } from 'ai';
import {
  effectiveBaseUrl,
  languageModel,
  ProviderCredentials,
  providerFetch,
  refusedPrivateAddress,
} from './provider-clients';
import { TEST_MODELS } from './providers';

export interface KeyTestResult {
  ok: boolean;
  detail: string;
}

export interface KeyTestOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  /** The model to ask; default: `TEST_MODELS`, or the first model an OpenAI-compatible endpoint lists. */
  model?: string;
}

class KeyTestFailure extends Error {}

/**
 * Asks the provider for one output token with the key (through the Vercel AI SDK) and says what
 * happened. Every outcome is a result, never a thrown error; no detail ever contains the key.
 */
export async function testProviderKey(
  credentials: ProviderCredentials,
  options: KeyTestOptions,
): Promise<KeyTestResult> {
  const started = Date.now();
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const model =
      options.model ??
      (credentials.provider === 'openai-compatible'
        ? await firstListedModel(credentials, options.allowPrivate, signal)
        : TEST_MODELS[credentials.provider]);
    const result = await generateText({
      model: languageModel(credentials, model, options),
      prompt: 'Reply with OK.',
      maxOutputTokens: 1,
      maxRetries: 0,
      abortSignal: signal,
    });
    const answered = result.response.modelId || model;
    return {
      ok: true,
      detail: `The provider accepted the key: ${answered} answered in ${Date.now() - started} ms`,
    };
  } catch (err) {
    return { ok: false, detail: redact(describeFailure(err, options.timeoutMs), credentials.apiKey) };
  }
}

/** `GET {baseUrl}/models` of an OpenAI-compatible endpoint (its model list), for the test's model. */
async function firstListedModel(
  credentials: ProviderCredentials,
  allowPrivate: boolean,
  signal: AbortSignal,
): Promise<string> {
  const url = `${effectiveBaseUrl(credentials)}/models`;
  let response: Response;
  try {
    response = await providerFetch(allowPrivate)(url, {
      headers: { authorization: `Bearer ${credentials.apiKey}`, accept: 'application/json' },
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError') throw err;
    throw new APICallError({
      message: `Cannot connect to API: ${(err as Error).message}`,
      cause: err,
      url,
      requestBodyValues: {},
    });
  }
  const text = await response.text();
  if (!response.ok)
    throw new APICallError({
      message: providerMessage(text) ?? response.statusText,
      url,
      requestBodyValues: {},
      statusCode: response.status,
      responseHeaders: { 'retry-after': response.headers.get('retry-after') ?? '' },
      responseBody: text,
    });
  let ids: string[] = [];
  try {
    const body = JSON.parse(text) as { data?: Array<{ id?: unknown }> };
    ids = (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  } catch {
    throw new KeyTestFailure('The endpoint’s model list (GET /models) is not JSON; is the base URL right?');
  }
  if (!ids.length)
    throw new KeyTestFailure('The endpoint lists no models (GET /models); name one to test with');
  return ids[0];
}

function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof KeyTestFailure) return err.message;
  if (RetryError.isInstance(err)) return describeFailure(err.lastError, timeoutMs);
  const address = refusedPrivateAddress(err);
  if (address)
    return `The base URL reaches a private address (${address}), which this server does not allow (PROVIDER_BASE_URL_ALLOW_PRIVATE)`;
  const name = (err as Error | undefined)?.name;
  if (name === 'AbortError' || name === 'TimeoutError')
    return `The provider did not answer within ${Math.round(timeoutMs / 1000)} s`;
  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    if (status === undefined) return `The provider could not be reached (${networkReason(err)})`;
    // Gemini answers an invalid key with 400 and the reason API_KEY_INVALID.
    if (status === 401 || status === 403 || (status === 400 && err.responseBody?.includes('API_KEY_INVALID')))
      return `The provider refused the key (${status})`;
    if (status === 429) {
      const retryAfter = err.responseHeaders?.['retry-after'];
      return `The provider is rate limiting this key (429)${retryAfter ? `; retry after ${retryAfter} s` : ''}`;
    }
    const message = providerMessage(err.responseBody) ?? err.message;
    if (status >= 500) return `The provider had an error (${status})${message ? `: ${message}` : ''}`;
    return `The provider answered ${status}${message ? `: ${message}` : ''}`;
  }
  return `The provider’s answer could not be understood (${name ?? 'error'})`;
}

/** The cause of a failed connection in a few words (ECONNREFUSED, ENOTFOUND, …). */
export function networkReason(err: APICallError): string {
  for (let e = err.cause as { code?: string; cause?: unknown } | undefined, i = 0; e && i < 8; i++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return 'connection failed';
}

/** The `error.message` of an OpenAI, Anthropic or Gemini error body, shortened. */
export function providerMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const message =
      typeof parsed.error === 'object' ? parsed.error?.message : (parsed.error ?? parsed.message);
    return typeof message === 'string' ? message.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the key (and any long enough piece of it a provider echoes back) from a detail. */
export function redact(text: string, apiKey: string): string {
  let out = text.split(apiKey).join('[redacted]');
  if (apiKey.length >= 12) {
    for (const part of [apiKey.slice(0, 8), apiKey.slice(-8)]) out = out.split(part).join('[redacted]');
  }
  return out;
}
