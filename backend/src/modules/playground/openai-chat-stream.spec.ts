import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { openAIChatModel, streamOpenAIChat } from './openai-chat-stream';

/**
 * `streamOpenAIChat` must behave as `@ai-sdk/openai`'s `doStream` read to its end (what a
 * streamed run did before): the same request, text, finish reason, usage and errors. Each case
 * answers both from the same scripted HTTP response and compares what they made of it.
 */

interface Scripted {
  status?: number;
  statusText?: string;
  headers?: Record<string, string>;
  /** The body, cut into these pieces (as the network would deliver it). */
  pieces?: string[];
  /** Or the fetch fails with this error. */
  fail?: Error;
}

interface Seen {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeFetch(script: Scripted, seen: Seen[]): typeof globalThis.fetch {
  return (async (input: string, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    seen.push({ url: input, headers, body: JSON.parse(init?.body as string) });
    if (script.fail) throw script.fail;
    const encoder = new TextEncoder();
    const pieces = script.pieces ?? [];
    let i = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (init?.signal?.aborted) return controller.error(init.signal.reason);
        if (i < pieces.length) controller.enqueue(encoder.encode(pieces[i++]));
        else controller.close();
      },
    });
    return new Response(stream, {
      status: script.status ?? 200,
      statusText: script.statusText ?? '',
      headers: script.headers ?? { 'content-type': 'text/event-stream' },
    });
  }) as unknown as typeof globalThis.fetch;
}

const model = (fetch: typeof globalThis.fetch, id = 'gpt-4o', name?: string): LanguageModelV3 =>
  createOpenAI({
    apiKey: 'sk-test-0123456789',
    baseURL: 'http://provider.test/v1',
    fetch,
    ...(name ? { name } : {}),
  }).chat(id);

interface Outcome {
  text: string;
  finishReason?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  error?: {
    name?: string;
    statusCode?: number;
    message?: string;
    responseBody?: string;
    retryAfter?: string;
  };
  request: Omit<Seen, 'headers'> & { headers: Record<string, string> };
}

const describeError = (err: unknown): Outcome['error'] => {
  const e = err as {
    name?: string;
    statusCode?: number;
    message?: string;
    responseBody?: string;
    responseHeaders?: Record<string, string>;
  };
  return {
    name: e.name,
    statusCode: e.statusCode,
    // Validation messages are zod's in the SDK; the names and the rest must agree.
    message: e.name === 'AI_TypeValidationError' ? undefined : e.message,
    responseBody: e.responseBody,
    retryAfter: e.responseHeaders?.['retry-after'],
  };
};

/** The request without the user agent (the SDK's adds its provider-utils version). */
const request = (seen: Seen): Outcome['request'] => {
  const { 'user-agent': agent, ...headers } = seen.headers;
  expect(agent).toContain('ai-sdk/openai/');
  return { ...seen, headers };
};

type Settings = { temperature?: number; maxOutputTokens?: number };

async function viaSdk(
  script: Scripted,
  settings: Settings = {},
  id?: string,
  name?: string,
): Promise<Outcome> {
  const seen: Seen[] = [];
  let text = '';
  try {
    const { stream } = await model(fakeFetch(script, seen), id, name).doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Say hi' }] }],
      abortSignal: new AbortController().signal,
      ...settings,
    });
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.type === 'text-delta') text += value.delta;
      if (value.type === 'error')
        return { text, error: describeError(value.error), request: request(seen[0]) };
      if (value.type === 'finish') {
        const usage = {
          inputTokens: value.usage.inputTokens.total,
          outputTokens: value.usage.outputTokens.total,
        };
        const result = { text, finishReason: value.finishReason.unified, usage, request: request(seen[0]) };
        // read on to the end, as callProvider does
        for (;;) if ((await reader.read()).done) return result;
      }
    }
    throw new Error('the SDK stream ended without finish');
  } catch (err) {
    return { text, error: describeError(err), request: request(seen[0]) };
  }
}

async function viaOwn(
  script: Scripted,
  settings: Settings = {},
  id?: string,
  name?: string,
): Promise<Outcome> {
  const seen: Seen[] = [];
  let text = '';
  const chat = openAIChatModel(model(fakeFetch(script, seen), id, name));
  expect(chat).toBeDefined();
  try {
    const end = await streamOpenAIChat(
      chat!,
      { prompt: 'Say hi', abortSignal: new AbortController().signal, ...settings },
      (t) => (text += t),
    );
    if (end.error) return { text, error: describeError(end.error), request: request(seen[0]) };
    const usage = { inputTokens: end.usage.inputTokens, outputTokens: end.usage.outputTokens };
    return { text, finishReason: end.finishReason, usage, request: request(seen[0]) };
  } catch (err) {
    return { text, error: describeError(err), request: request(seen[0]) };
  }
}

const chunk = (choices: unknown[], extra: object = {}) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices, ...extra })}\n\n`;
const delta = (d: object, finish: string | null = null) =>
  chunk([{ index: 0, delta: d, finish_reason: finish }]);
const usage = chunk([], { usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
const ok = (...content: string[]) => [
  delta({ role: 'assistant', content: '' }),
  ...content.map((c) => delta({ content: c })),
  delta({}, 'stop'),
  usage,
  'data: [DONE]\n\n',
];
/** The same body cut every `n` characters (lines, events and characters split across reads). */
const cut = (pieces: string[], n: number) => {
  const all = pieces.join('');
  const out: string[] = [];
  for (let i = 0; i < all.length; i += n) out.push(all.slice(i, i + n));
  return out;
};

const same = async (script: Scripted, settings?: Settings, id?: string, name?: string) => {
  const [sdk, own] = await Promise.all([
    viaSdk(script, settings, id, name),
    viaOwn(script, settings, id, name),
  ]);
  expect(own).toEqual(sdk);
  return own;
};

describe('streamOpenAIChat (as @ai-sdk/openai doStream)', () => {
  it('recognizes the chat models of openai and openai-compatible keys, nothing else', () => {
    const fetch = fakeFetch({}, []);
    expect(openAIChatModel(model(fetch))).toBeDefined();
    expect(openAIChatModel(model(fetch, 'llama3', 'openai-compatible'))).toBeDefined();
    expect(openAIChatModel(createOpenAI({ apiKey: 'sk-x', fetch }).responses('gpt-4o'))).toBeUndefined();
  });

  it('streams text, finish reason and usage; the same request', async () => {
    const r = await same({ pieces: ok('Hel', 'lo ', 'world') }, { temperature: 0.3, maxOutputTokens: 50 });
    expect(r).toMatchObject({
      text: 'Hello world',
      finishReason: 'stop',
      usage: { inputTokens: 7, outputTokens: 3 },
    });
    expect(r.request.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
    });
  });

  it('sends a reasoning model what the SDK sends (no temperature, max_completion_tokens)', async () => {
    const r = await same({ pieces: ok('x') }, { temperature: 0.3, maxOutputTokens: 50 }, 'o4-mini');
    expect(r.request.body).toMatchObject({ max_completion_tokens: 50 });
    expect(r.request.body).not.toHaveProperty('temperature');
  });

  it('reads events split anywhere across reads, CRLF line ends and multi-byte characters', async () => {
    const pieces = ok('héllo ', '🙂 ', 'wörld');
    await same({ pieces: cut(pieces, 1) });
    await same({ pieces: cut(pieces, 7) });
    const r = await same({
      pieces: cut(
        pieces.map((p) => p.replaceAll('\n', '\r\n')),
        5,
      ),
    });
    expect(r.text).toBe('héllo 🙂 wörld');
    await same({ pieces: [': comment\n\n', 'event: message\n', ...ok('a')] });
  });

  it('maps finish reasons: length, content filter, refusal, none', async () => {
    const usageless = [delta({ content: 'a' }), delta({}, 'length'), 'data: [DONE]\n\n'];
    expect((await same({ pieces: usageless })).finishReason).toBe('length');
    expect(
      (await same({ pieces: [delta({ content: 'a' }), delta({}, 'content_filter')] })).finishReason,
    ).toBe('content-filter');
    const refusal = await same({ pieces: [delta({ refusal: 'I cannot' }), delta({}, 'stop'), usage] });
    expect(refusal).toMatchObject({ text: 'I cannot', finishReason: 'content-filter' });
    expect((await same({ pieces: [delta({ content: 'a' })] })).finishReason).toBe('other');
  });

  it('answers an HTTP error as the SDK does (JSON message, else status text; headers and body kept)', async () => {
    const body = JSON.stringify({ error: { message: 'Rate limited', type: 'rate_limit', code: null } });
    const r = await same({ status: 429, headers: { 'retry-after': '7' }, pieces: [body] });
    expect(r.error).toMatchObject({
      name: 'AI_APICallError',
      statusCode: 429,
      message: 'Rate limited',
      retryAfter: '7',
    });
    const plain = await same({ status: 500, statusText: 'Internal Server Error', pieces: ['oops'] });
    expect(plain.error).toMatchObject({
      statusCode: 500,
      message: 'Internal Server Error',
      responseBody: 'oops',
    });
    await same({ status: 502, statusText: 'Bad Gateway', pieces: [] });
  });

  it('answers error frames: before any output as an API error with a status, after output as they came', async () => {
    const frame = (error: object) => `data: ${JSON.stringify({ error })}\n\n`;
    const before = await same({
      pieces: [frame({ message: 'Slow down', type: 'rate_limit_exceeded', code: null })],
    });
    expect(before.error).toMatchObject({ name: 'AI_APICallError', statusCode: 429, message: 'Slow down' });
    await same({
      pieces: [delta({ role: 'assistant', content: '' }), frame({ message: 'boom', code: '503' })],
    });
    await same({ pieces: [frame({ message: 'who knows' })] });
    const after = await same({
      pieces: [delta({ content: 'part' }), frame({ message: 'cut', type: 'server_error' })],
    });
    expect(after.text).toBe('part');
  });

  it('answers a chunk that is not JSON, or not a chunk, as the SDK does', async () => {
    const bad = await same({ pieces: [delta({ content: 'a' }), 'data: {not json\n\n'] });
    expect(bad.error?.name).toBe('AI_JSONParseError');
    expect((await same({ pieces: ['data: {"choices": 3}\n\n'] })).error?.name).toBe('AI_TypeValidationError');
  });

  it('answers a network failure as the SDK does (an API error without status, the cause kept)', async () => {
    const fail = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const r = await same({ fail });
    expect(r.error).toMatchObject({
      name: 'AI_APICallError',
      statusCode: undefined,
      message: 'Cannot connect to API: connect ECONNREFUSED',
    });
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect((await same({ fail: abort })).error?.name).toBe('AbortError');
  });
});
