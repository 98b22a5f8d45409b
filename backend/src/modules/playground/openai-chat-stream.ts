import { STATUS_CODES } from 'node:http';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { APICallError, JSONParseError, TypeValidationError } from 'ai';
import type { Dispatcher } from 'undici';
import { providerRequest } from '../provider-keys/provider-clients';

/**
 * A streamed chat completion of an OpenAI or OpenAI-compatible model, read without the AI SDK's
 * stream pipeline. `doStream` of `@ai-sdk/openai` pipes the response body through four more web
 * streams (text decoding, event-source parsing, a per-chunk zod validation, its part mapping) and
 * a `tee`; on a run's hot path they were the largest share of the API's CPU after the database
 * writes (docs/benchmarks.md, "Issue 12, third round"), and fetch's own Request, Response and
 * web-stream body came next. Here the same request (the model's own `getArgs` and headers) goes
 * through undici's `request` on `providerFetch`'s connection pool and private-address rule
 * (`providerRequest`), and the body, a Node stream, is parsed in place, with the chat model's
 * semantics kept:
 *
 * - text is `delta.content` and `delta.refusal` (a refusal makes a `stop` a `content-filter`);
 * - usage is the provider's last `usage` (`prompt_tokens`, `completion_tokens`);
 * - an HTTP error answers an `APICallError` with the status, headers and body, like the SDK's;
 * - an error frame before any output throws the SDK's `APICallError` for it (status from the
 *   frame's code or type); after output it is answered as it came (the SDK's `error` part);
 * - a chunk that is not JSON throws `JSONParseError`, one that is neither a chunk nor an error
 *   `TypeValidationError`; an abort or a network failure throws what the SDK's call would.
 *
 * Used only when `openAIChatModel` recognizes the model (else the caller uses `doStream`): it
 * relies on the SDK chat model's `getArgs` and `config`, which are not its public API, so an
 * upgrade that changes them falls back to `doStream`, and `openai-chat-stream.spec.ts` fails.
 */
export interface OpenAIChatModel {
  readonly provider: string;
  readonly modelId: string;
  getArgs(options: Record<string, unknown>): Promise<{ args: Record<string, unknown> }>;
  readonly config: {
    url(options: { path: string; modelId: string }): string;
    headers(): Record<string, string | undefined>;
  };
}

/** The chat model of `@ai-sdk/openai` behind `model` (openai and openai-compatible keys), or undefined. */
export function openAIChatModel(model: LanguageModelV3): OpenAIChatModel | undefined {
  const m = model as unknown as Partial<OpenAIChatModel>;
  if (m.provider !== 'openai.chat' && m.provider !== 'openai-compatible.chat') return undefined;
  if (typeof m.getArgs !== 'function' || !m.config) return undefined;
  const { url, headers } = m.config;
  return typeof url === 'function' && typeof headers === 'function' ? (m as OpenAIChatModel) : undefined;
}

export interface ChatStreamOptions {
  prompt: string;
  abortSignal: AbortSignal;
  /** PROVIDER_BASE_URL_ALLOW_PRIVATE: the private-address rule of `providerFetch`. */
  allowPrivate: boolean;
  temperature?: number;
  maxOutputTokens?: number;
}

export type ChatStreamEnd =
  | {
      /** As the AI SDK unifies it: stop, length, content-filter, tool-calls, other. */
      finishReason: string;
      usage: { inputTokens?: number; outputTokens?: number };
      error?: undefined;
    }
  /** An error frame after some output: the frame's `error`, as the SDK's `error` part has it. */
  | { error: object };

const USER_AGENT_RUNTIME = `runtime/node.js/${process.version}`;

/** Streams the completion, handing each text piece to `onText`; answers or throws as described above. */
export async function streamOpenAIChat(
  model: OpenAIChatModel,
  options: ChatStreamOptions,
  onText: (text: string) => void,
): Promise<ChatStreamEnd> {
  const { args } = await model.getArgs({
    prompt: [{ role: 'user', content: [{ type: 'text', text: options.prompt }] }],
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
  });
  const body = { ...args, stream: true, stream_options: { include_usage: true } };
  const url = model.config.url({ path: '/chat/completions', modelId: model.modelId });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(model.config.headers()))
    if (value !== undefined) headers[name.toLowerCase()] = value;
  headers['user-agent'] = headers['user-agent']
    ? `${headers['user-agent']} ${USER_AGENT_RUNTIME}`
    : USER_AGENT_RUNTIME;

  let response: Dispatcher.ResponseData<unknown>;
  try {
    response = await providerRequest(
      new URL(url),
      { method: 'POST', headers, body: JSON.stringify(body), signal: options.abortSignal },
      options.allowPrivate,
    );
  } catch (err) {
    throw requestFailure(err, url, body);
  }
  const responseHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers))
    if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
  const stream = response.body;
  if (response.statusCode < 200 || response.statusCode > 299)
    throw httpFailure(response.statusCode, await stream.text(), url, body, responseHeaders);

  let hadOutput = false;
  let rawFinish: string | undefined;
  let refusal = false;
  let usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
  let failed: object | undefined;
  const onData = (data: string): void => {
    if (data === '[DONE]' || failed) return;
    let value: ChatChunk;
    try {
      value = JSON.parse(data) as ChatChunk;
    } catch (cause) {
      throw new JSONParseError({ text: data, cause });
    }
    if (value === null || typeof value !== 'object')
      throw new TypeValidationError({ value, cause: new Error('a chunk must be an object') });
    if ('error' in value && value.error !== null && typeof value.error === 'object') {
      if (!hadOutput) throw streamFailure(value.error, url, body, responseHeaders);
      failed = value.error;
      return;
    }
    if (!Array.isArray(value.choices))
      throw new TypeValidationError({ value, cause: new Error('choices must be an array') });
    if (value.usage != null) usage = value.usage;
    const choice = value.choices[0];
    if (choice?.finish_reason != null) rawFinish = choice.finish_reason;
    for (const c of value.choices) {
      const d = c?.delta;
      if (d && (d.content || d.refusal || d.tool_calls?.length || d.annotations?.length)) hadOutput = true;
    }
    const delta = choice?.delta;
    if (delta == null) return;
    if (delta.content) onText(delta.content);
    if (delta.refusal) {
      refusal = true;
      onText(delta.refusal);
    }
  };

  // Server-sent events: `data:` lines joined by "\n", dispatched at a blank line; other fields
  // and comments are ignored, as the SDK's event-source parser does. The body is read to its
  // end (after `[DONE]` too), so its connection goes back to the pool.
  let data: string | undefined;
  const line = (text: string) => {
    if (text === '') {
      if (data !== undefined) {
        const d = data;
        data = undefined;
        onData(d);
      }
      return;
    }
    if (!text.startsWith('data:')) return;
    const value = text.charCodeAt(5) === 32 ? text.slice(6) : text.slice(5);
    data = data === undefined ? value : `${data}\n${value}`;
  };
  // Decoded here: undici's body does not keep a character split across reads with setEncoding.
  const decoder = new TextDecoder();
  let rest = '';
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      const text = rest + decoder.decode(piece, { stream: true });
      let start = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        // A "\r" at the end of this read may be the first half of "\r\n": wait for the next.
        if (c === 13 && i === text.length - 1) break;
        line(text.slice(start, i));
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
      rest = text.slice(start);
      if (failed) {
        stream.destroy();
        return { error: failed };
      }
    }
    // A lone "\r" kept back at the very end still ends its line.
    rest += decoder.decode();
    if (rest.endsWith('\r')) line(rest.slice(0, -1));
  } catch (err) {
    stream.destroy();
    const failure = bodyFailure(err);
    // The SDK reads up to the first output inside its call: a read failing before it is
    // "Failed to process successful response" there, with the status; after it, as it came.
    if (hadOutput || failure === err) throw failure;
    throw new APICallError({
      message: 'Failed to process successful response',
      cause: failure,
      statusCode: response.statusCode,
      url,
      responseHeaders,
      requestBodyValues: body,
    });
  }

  const finishReason =
    rawFinish === undefined
      ? 'other'
      : rawFinish === 'stop'
        ? refusal
          ? 'content-filter'
          : 'stop'
        : (FINISH_REASONS[rawFinish] ?? 'other');
  return {
    finishReason,
    usage: usage ? { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 } : {},
  };
}

interface ChatChunk {
  error?: unknown;
  choices?: Array<{
    finish_reason?: string | null;
    delta?: {
      content?: string | null;
      refusal?: string | null;
      tool_calls?: unknown[] | null;
      annotations?: unknown[] | null;
    } | null;
  } | null>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

const FINISH_REASONS: Record<string, string> = {
  length: 'length',
  content_filter: 'content-filter',
  function_call: 'tool-calls',
  tool_calls: 'tool-calls',
};

const FETCH_FAILED = ['fetch failed', 'failed to fetch'];

/**
 * What the SDK's `postToApi` makes of a call that failed before an answer: an abort as it is, a
 * network failure (connection refused, DNS, a private address refused at connect time) as an
 * `APICallError` without status, its cause kept, as fetch's `TypeError('fetch failed')` became.
 */
function requestFailure(err: unknown, url: string, body: unknown): unknown {
  const e = err as { name?: unknown; message?: unknown; cause?: unknown } | null | undefined;
  if (typeof e?.message !== 'string' || aborted(e)) return err;
  const cause =
    e.name === 'TypeError' && FETCH_FAILED.includes(e.message.toLowerCase())
      ? (e.cause as { message?: unknown } | undefined)
      : e;
  if (typeof cause?.message !== 'string') return err;
  return new APICallError({
    message: `Cannot connect to API: ${cause.message}`,
    cause,
    url,
    requestBodyValues: body,
    isRetryable: true,
  });
}

/** A body cut off mid-answer reads as fetch's would: `TypeError('terminated')` with the cause. */
function bodyFailure(err: unknown): unknown {
  const e = err as { name?: unknown; code?: unknown } | null | undefined;
  if (!e || aborted(e) || APICallError.isInstance(err)) return err;
  if (typeof e.code === 'string' && e.code.startsWith('UND_ERR'))
    return new TypeError('terminated', { cause: err });
  return err;
}

/** An abort or timeout of the call's signal (errors may come from another realm: no instanceof). */
const aborted = (e: { name?: unknown }) => e.name === 'AbortError' || e.name === 'TimeoutError';

/** The SDK's error for a non-2xx answer: the provider's `error.message`, else the status text. */
function httpFailure(
  status: number,
  responseBody: string,
  url: string,
  body: unknown,
  responseHeaders: Record<string, string>,
): APICallError {
  let message: string | undefined;
  try {
    const parsed = JSON.parse(responseBody) as { error?: { message?: unknown } };
    if (typeof parsed?.error?.message === 'string') message = parsed.error.message;
  } catch {
    // not JSON: the status text, as the SDK does
  }
  return new APICallError({
    message: message ?? STATUS_CODES[status] ?? '',
    url,
    requestBodyValues: body,
    statusCode: status,
    responseHeaders,
    responseBody,
    isRetryable: retryable(status),
  });
}

const retryable = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/** `@ai-sdk/openai`'s error for an error frame that came before any output. */
function streamFailure(
  frame: object,
  url: string,
  body: unknown,
  responseHeaders: Record<string, string>,
): APICallError {
  const f = frame as Record<string, unknown>;
  const inner =
    f.error !== null && typeof f.error === 'object' ? (f.error as Record<string, unknown>) : undefined;
  const e = inner ?? f;
  const parsed =
    typeof e.message === 'string' && (inner || typeof e.type === 'string' || 'code' in e || 'param' in e)
      ? {
          message: e.message,
          code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined,
          type: typeof e.type === 'string' ? e.type : undefined,
        }
      : undefined;
  const statusCode = parsed ? frameStatus(parsed) : 500;
  return new APICallError({
    message: parsed?.message ?? 'OpenAI stream failed before any output was generated',
    url,
    requestBodyValues: body,
    statusCode,
    responseHeaders,
    responseBody: JSON.stringify(frame),
    data: frame,
    isRetryable: parsed
      ? parsed.code !== 'insufficient_quota' && parsed.type !== 'insufficient_quota' && retryable(statusCode)
      : true,
  });
}

function frameStatus(error: { code?: string | number; type?: string }): number {
  const numeric = typeof error.code === 'number' ? error.code : Number(error.code);
  if (Number.isInteger(numeric) && numeric >= 400 && numeric <= 599 && /^\d{3}$/.test(String(error.code)))
    return numeric;
  const discriminator = [error.code, error.type]
    .filter((v) => typeof v === 'string' || typeof v === 'number')
    .join(' ')
    .toLowerCase();
  if (discriminator.includes('insufficient_quota') || discriminator.includes('rate_limit')) return 429;
  if (discriminator.includes('authentication')) return 401;
  if (discriminator.includes('permission')) return 403;
  if (discriminator.includes('not_found')) return 404;
  if (['invalid', 'bad_request', 'context_length'].some((t) => discriminator.includes(t))) return 400;
  if (discriminator.includes('overload')) return 503;
  if (discriminator.includes('timeout')) return 504;
  return 500;
}
