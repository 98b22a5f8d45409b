import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { providerFetch, refusedPrivateAddress } from '../provider-keys/provider-clients';
import { openAIChatModel, streamOpenAIChat } from './openai-chat-stream';

/**
 * `streamOpenAIChat` must behave as `@ai-sdk/openai`'s `doStream` read to its end (what a
 * streamed run did before): the same request, text, finish reason, usage and errors. Each case
 * answers both from the same scripted HTTP response and compares what they made of it.
 */

interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  /** The body, written in these pieces one after the other (as the network would deliver it). */
  pieces?: Array<string | Buffer>;
  /** Or the connection is refused (a closed port). */
  refused?: boolean;
  /** Cut the connection after the pieces instead of ending the answer. */
  cut?: boolean;
  /** PROVIDER_BASE_URL_ALLOW_PRIVATE for the call (default true: the server is on loopback). */
  allowPrivate?: boolean;
}

interface Seen {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A local server answering every request with `script`, recording what it was sent. */
let server: Server;
let base: string;
let closedBase: string;
let script: Scripted = {};
let seen: Seen[] = [];
const tick = () => new Promise((r) => setTimeout(r, 2));

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      seen.push({ url: req.url ?? '', headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      void (async () => {
        res.writeHead(script.status ?? 200, script.headers ?? { 'content-type': 'text/event-stream' });
        for (const piece of script.pieces ?? []) {
          res.write(piece);
          await tick();
        }
        if (script.cut) res.socket?.destroy();
        else res.end();
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  closedBase = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/v1`;
  await new Promise((r) => closed.close(r));
});
afterAll(() => new Promise((r) => server.close(r)));

const model = (id = 'gpt-4o', name?: string): LanguageModelV3 =>
  createOpenAI({
    apiKey: 'sk-test-0123456789',
    baseURL: script.refused ? closedBase : base,
    fetch: providerFetch(script.allowPrivate ?? true),
    ...(name ? { name } : {}),
  }).chat(id);

interface Outcome {
  text: string;
  finishReason?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  error?: {
    privateAddress?: string;
    name?: string;
    statusCode?: number;
    message?: string;
    responseBody?: string;
    retryAfter?: string;
  };
  request: Seen | undefined;
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
    privateAddress: refusedPrivateAddress(err),
  };
};

/** The request as the SDK builds it (fetch and undici add their own transport headers). */
const request = (seen: Seen | undefined): Outcome['request'] | undefined => {
  if (!seen) return undefined;
  expect(seen.headers['user-agent']).toContain('ai-sdk/openai/');
  const { authorization, 'content-type': type } = seen.headers;
  return { ...seen, headers: { authorization, 'content-type': type } };
};

type Settings = { temperature?: number; maxOutputTokens?: number };

async function viaSdk(settings: Settings, signal: AbortSignal, id?: string, name?: string): Promise<Outcome> {
  seen = [];
  let text = '';
  try {
    const { stream } = await model(id, name).doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Say hi' }] }],
      abortSignal: signal,
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

async function viaOwn(settings: Settings, signal: AbortSignal, id?: string, name?: string): Promise<Outcome> {
  seen = [];
  let text = '';
  const chat = openAIChatModel(model(id, name));
  expect(chat).toBeDefined();
  try {
    const end = await streamOpenAIChat(
      chat!,
      { prompt: 'Say hi', abortSignal: signal, allowPrivate: script.allowPrivate ?? true, ...settings },
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
/** The same body cut every `n` bytes (lines, events and UTF-8 characters split across reads). */
const cut = (pieces: string[], n: number) => {
  const all = Buffer.from(pieces.join(''), 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; i += n) out.push(all.subarray(i, i + n));
  return out;
};

/** Both answers to `scripted`, one after the other; they must agree. */
const same = async (
  scripted: Scripted,
  settings: Settings = {},
  id?: string,
  name?: string,
  signal = new AbortController().signal,
) => {
  script = scripted;
  const sdk = await viaSdk(settings, signal, id, name);
  const own = await viaOwn(settings, signal, id, name);
  expect(own).toEqual(sdk);
  return own;
};

describe('streamOpenAIChat (as @ai-sdk/openai doStream)', () => {
  it('recognizes the chat models of openai and openai-compatible keys, nothing else', () => {
    expect(openAIChatModel(model())).toBeDefined();
    expect(openAIChatModel(model('llama3', 'openai-compatible'))).toBeDefined();
    expect(openAIChatModel(createOpenAI({ apiKey: 'sk-x' }).responses('gpt-4o'))).toBeUndefined();
  });

  it('streams text, finish reason and usage; the same request', async () => {
    const r = await same({ pieces: ok('Hel', 'lo ', 'world') }, { temperature: 0.3, maxOutputTokens: 50 });
    expect(r).toMatchObject({
      text: 'Hello world',
      finishReason: 'stop',
      usage: { inputTokens: 7, outputTokens: 3 },
    });
    expect(r.request?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
    });
  });

  it('sends a reasoning model what the SDK sends (no temperature, max_completion_tokens)', async () => {
    const r = await same({ pieces: ok('x') }, { temperature: 0.3, maxOutputTokens: 50 }, 'o4-mini');
    expect(r.request?.body).toMatchObject({ max_completion_tokens: 50 });
    expect(r.request?.body).not.toHaveProperty('temperature');
  });

  it('reads events split anywhere across reads, CRLF line ends and multi-byte characters', async () => {
    const pieces = ok('héllo ', '🙂 ', 'wörld');
    await same({ pieces: cut(pieces, 3) });
    await same({ pieces: cut(pieces, 11) });
    const r = await same({
      pieces: cut(
        pieces.map((p) => p.replaceAll('\n', '\r\n')),
        5,
      ),
    });
    expect(r.text).toBe('héllo 🙂 wörld');
    await same({ pieces: [': comment\n\n', 'event: message\n', ...ok('a')] });
  }, 30_000);

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
    const plain = await same({ status: 500, pieces: ['oops'] });
    expect(plain.error).toMatchObject({
      statusCode: 500,
      message: 'Internal Server Error',
      responseBody: 'oops',
    });
    await same({ status: 502, pieces: [] });
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

  it('answers a refused connection, a refused private address and an abort as the SDK does', async () => {
    const r = await same({ refused: true });
    expect(r.error).toMatchObject({ name: 'AI_APICallError', statusCode: undefined });
    expect(r.error?.message).toMatch(/^Cannot connect to API: .*ECONNREFUSED/);
    // Cut before any output: the SDK's call fails; after output, the stream does.
    const early = await same({ pieces: ok('a').slice(0, 1), cut: true });
    expect(early.error).toMatchObject({ name: 'AI_APICallError', statusCode: 200 });
    script = { pieces: ok('a', 'b').slice(0, 2), cut: true };
    const late = await viaOwn({}, new AbortController().signal);
    expect(late).toMatchObject({ text: 'a', error: { name: 'TypeError', message: 'terminated' } });
    const refused = await same({ pieces: ok('x'), allowPrivate: false });
    expect(refused.error).toMatchObject({ name: 'AI_APICallError', privateAddress: '127.0.0.1' });
    const aborted = new AbortController();
    aborted.abort();
    expect((await same({ pieces: ok('x') }, {}, undefined, undefined, aborted.signal)).error?.name).toBe(
      'AbortError',
    );
  });
});
