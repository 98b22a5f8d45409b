import {
  APICallError,
  generateText,
  jsonSchema,
  type JSONSchema7,
  NoObjectGeneratedError,
  Output,
  RetryError,
} from 'ai';
import { languageModel, ProviderCredentials, refusedPrivateAddress } from '../provider-keys/provider-clients';
import { networkReason, providerMessage, redact } from '../provider-keys/provider-key-tester';
import type { RunStatus } from './runs.repository';

/** Seconds a client is told to wait when a provider rate limits without saying for how long. */
export const DEFAULT_RETRY_AFTER_S = 30;

/** Why a call failed, in the playground's problem terms; never contains the key. */
export interface ProviderFailure {
  code: 'provider_error' | 'provider_rate_limited' | 'provider_timeout' | 'provider_unreachable';
  detail: string;
  /** The provider's HTTP status; null when it never answered. */
  providerStatus: number | null;
  /** With provider_rate_limited: seconds to wait. */
  retryAfter?: number;
}

export interface CallInput {
  credentials: ProviderCredentials;
  model: string;
  prompt: string;
  temperature?: number;
  maxTokens?: number;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Aborted when the client goes away: the call is aborted and the run ends `canceled`. */
  signal: AbortSignal;
  /** With it, the call streams and every text piece is handed over as it arrives. */
  onDelta?: (text: string) => void;
}

export interface CallOutcome {
  status: RunStatus;
  output: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  failure?: ProviderFailure;
}

/**
 * One call to a model through the Vercel AI SDK (`generateText`; with `onDelta` the model's stream),
 * bounded by `timeoutMs` and aborted with `signal`. No retries: a failure is the caller's to see.
 * Never throws; a failure is described without the key (and without pieces of it a provider echoes).
 */
export async function callProvider(input: CallInput): Promise<CallOutcome> {
  const bounds = callBounds(input.signal, input.timeoutMs);
  try {
    return await callBounded(input, bounds.signal, bounds.timeout);
  } finally {
    bounds.end();
  }
}

/**
 * The abort signal of one call: aborted when the client's `signal` is, or (a `TimeoutError`, and
 * `timeout.aborted`) once `timeoutMs` passed; `end()` when the call is over. One controller and
 * one timer, where `AbortSignal.timeout` and `AbortSignal.any` make two more signals per call and
 * keep the dependent one registered until it is collected.
 */
function callBounds(signal: AbortSignal, timeoutMs: number) {
  const controller = new AbortController();
  const timeout = { aborted: false };
  const timer = setTimeout(() => {
    timeout.aborted = true;
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, timeoutMs);
  timer.unref();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timeout: timeout as { readonly aborted: boolean },
    end: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}

async function callBounded(
  input: CallInput,
  abortSignal: AbortSignal,
  timeout: { readonly aborted: boolean },
): Promise<CallOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const settings = {
    model: languageModel(input.credentials, input.model, { allowPrivate: input.allowPrivate }),
    prompt: input.prompt,
    maxRetries: 0,
    abortSignal,
    ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
    ...(input.maxTokens !== undefined ? { maxOutputTokens: input.maxTokens } : {}),
  };
  const ended = (output: string, usage: { inputTokens?: number; outputTokens?: number } | undefined) => ({
    output,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    latencyMs: elapsed(),
  });
  const failed = (output: string, err: unknown): CallOutcome => {
    if (input.signal.aborted) return { status: 'canceled', ...ended(output, undefined) };
    return {
      status: 'error',
      ...ended(output, undefined),
      failure: describe(err, timeout.aborted, input.timeoutMs, input.credentials.apiKey),
    };
  };

  if (!input.onDelta) {
    try {
      const result = await generateText(settings);
      return finished(result.finishReason, ended(result.text, result.usage));
    } catch (err) {
      return failed('', err);
    }
  }

  // Streamed: the provider model's own stream (`doStream`), read directly. `streamText` would wrap
  // it in several more web streams per run (step stitching, telemetry, output transforms) that a
  // one-prompt text run does not use; they were most of the AI SDK's CPU per run (docs/benchmarks.md,
  // "Playground runs"). Errors are the same (`APICallError` from the provider, an abort), and usage
  // is the provider's own count, as with `streamText`.
  let output = '';
  try {
    const { stream } = await settings.model.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: input.prompt }] }],
      abortSignal,
      ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
      ...(input.maxTokens !== undefined ? { maxOutputTokens: input.maxTokens } : {}),
    });
    // Read to the end (not returning at `finish`), so the response body is consumed and its
    // connection goes back to the pool instead of being closed.
    let outcome: CallOutcome | undefined;
    const reader = stream.getReader();
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) break;
      switch (part.type) {
        case 'text-delta':
          if (part.delta) {
            output += part.delta;
            input.onDelta(part.delta);
          }
          break;
        case 'error':
          void reader.cancel().catch(() => undefined);
          return failed(output, part.error);
        case 'finish':
          outcome = finished(
            part.finishReason.unified,
            ended(output, {
              inputTokens: part.usage.inputTokens.total,
              outputTokens: part.usage.outputTokens.total,
            }),
          );
          break;
      }
    }
    if (outcome) return outcome;
    return failed(output, new DOMException('aborted', 'AbortError'));
  } catch (err) {
    return failed(output, err);
  }
}

export interface ObjectCallInput {
  credentials: ProviderCredentials;
  model: string;
  system: string;
  prompt: string;
  /** The JSON schema of the answer (the provider's structured output: JSON schema or a tool call). */
  schema: JSONSchema7;
  maxTokens: number;
  timeoutMs: number;
  allowPrivate: boolean;
  signal: AbortSignal;
}

export interface ObjectCallOutcome {
  status: RunStatus;
  /** The parsed JSON answer (not yet checked beyond being JSON). */
  object?: unknown;
  /** Why the answer was not a JSON object: the model answered, but not in the schema's form. */
  unusable?: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  failure?: ProviderFailure;
}

/**
 * One call for a structured answer (`generateText` with `Output.object`): each provider gets the
 * schema its own way (OpenAI `response_format` json_schema, Anthropic output format or a forced
 * `json` tool, Gemini `responseSchema`). Same bounds, abort and failure mapping as `callProvider`;
 * never throws. An answer that is not JSON comes back as `unusable` with the usage it cost.
 */
export async function callProviderForObject(input: ObjectCallInput): Promise<ObjectCallOutcome> {
  const bounds = callBounds(input.signal, input.timeoutMs);
  try {
    return await callForObjectBounded(input, bounds.signal, bounds.timeout);
  } finally {
    bounds.end();
  }
}

async function callForObjectBounded(
  input: ObjectCallInput,
  abortSignal: AbortSignal,
  timeout: { readonly aborted: boolean },
): Promise<ObjectCallOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const usage = (u: { inputTokens?: number; outputTokens?: number } | undefined) => ({
    inputTokens: u?.inputTokens ?? 0,
    outputTokens: u?.outputTokens ?? 0,
    latencyMs: elapsed(),
  });
  try {
    const result = await generateText({
      model: languageModel(input.credentials, input.model, { allowPrivate: input.allowPrivate }),
      system: input.system,
      prompt: input.prompt,
      output: Output.object({ schema: jsonSchema(input.schema) }),
      maxOutputTokens: input.maxTokens,
      maxRetries: 0,
      abortSignal,
    });
    const outcome = finished(result.finishReason, { output: '', ...usage(result.usage) });
    if (outcome.failure) return outcome;
    return { status: 'success', object: result.output, ...usage(result.usage) };
  } catch (err) {
    if (NoObjectGeneratedError.isInstance(err))
      return {
        status: 'success',
        unusable:
          err.finishReason === 'length'
            ? 'the answer was cut off at the output token limit'
            : 'the answer was not a JSON object of the schema',
        ...usage(err.usage),
      };
    if (input.signal.aborted) return { status: 'canceled', ...usage(undefined) };
    return {
      status: 'error',
      ...usage(undefined),
      failure: describe(err, timeout.aborted, input.timeoutMs, input.credentials.apiKey),
    };
  }
}

function finished(finishReason: string, result: Omit<CallOutcome, 'status' | 'failure'>): CallOutcome {
  if (finishReason === 'content-filter')
    return {
      status: 'error',
      ...result,
      failure: {
        code: 'provider_error',
        detail: 'The provider refused to answer (its content filter stopped the output)',
        providerStatus: 200,
      },
    };
  return { status: 'success', ...result };
}

function describe(err: unknown, timedOut: boolean, timeoutMs: number, apiKey: string): ProviderFailure {
  const f = describeUnredacted(err, timedOut, timeoutMs);
  return { ...f, detail: redact(f.detail, apiKey) };
}

function describeUnredacted(err: unknown, timedOut: boolean, timeoutMs: number): ProviderFailure {
  if (RetryError.isInstance(err)) return describeUnredacted(err.lastError, timedOut, timeoutMs);
  if (timedOut)
    return {
      code: 'provider_timeout',
      detail: `The provider did not answer within ${timeoutMs / 1000} s (PROVIDER_TIMEOUT_MS)`,
      providerStatus: null,
    };
  const address = refusedPrivateAddress(err);
  if (address)
    return {
      code: 'provider_unreachable',
      detail: `The key's base URL reaches a private address (${address}), which this server does not allow (PROVIDER_BASE_URL_ALLOW_PRIVATE)`,
      providerStatus: null,
    };
  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    if (status === undefined)
      return {
        code: 'provider_unreachable',
        detail: `The provider could not be reached (${networkReason(err)})`,
        providerStatus: null,
      };
    const message = providerMessage(err.responseBody) ?? err.message;
    // Gemini answers an invalid key with 400 and the reason API_KEY_INVALID.
    if (status === 401 || status === 403 || (status === 400 && err.responseBody?.includes('API_KEY_INVALID')))
      return {
        code: 'provider_error',
        detail: `The provider refused the key (${status}): check the key in Provider keys, or add it again`,
        providerStatus: 401,
      };
    if (status === 429) {
      const header = Number(err.responseHeaders?.['retry-after']);
      const retryAfter = Number.isFinite(header) && header > 0 ? Math.ceil(header) : DEFAULT_RETRY_AFTER_S;
      return {
        code: 'provider_rate_limited',
        detail: `The provider is rate limiting this key (429); retry after ${retryAfter} s${message ? `: ${message}` : ''}`,
        providerStatus: 429,
        retryAfter,
      };
    }
    return {
      code: 'provider_error',
      detail: `The provider answered ${status}${message ? `: ${message}` : ''}`,
      providerStatus: status,
    };
  }
  const name = (err as Error | undefined)?.name ?? 'error';
  const message = (err as Error | undefined)?.message;
  return {
    code: 'provider_error',
    detail: `The provider's answer could not be used (${name}${message ? `: ${message.slice(0, 200)}` : ''})`,
    providerStatus: null,
  };
}
