import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Local HTTP servers speaking the wire formats of the model providers we cannot reach from tests:
 * OpenAI (chat completions and responses, streaming included, model list), Anthropic (messages,
 * streaming, model list) and Gemini (generateContent, streamGenerateContent with `alt=sse`, model
 * list), with their real error bodies. One server, one path prefix per provider:
 *
 * - `${url}/openai/v1` — base URL for `openai` and `openai-compatible` keys
 * - `${url}/anthropic/v1` — for `anthropic`
 * - `${url}/google/v1beta` — for `google`
 *
 * Keys in `validKeys` are accepted; others get the provider's 401 (Gemini: 400 API_KEY_INVALID).
 * `script(apiKey, behaviour)` makes every call with that key fail or wait; `reply` decides the text.
 *
 * Structured output (JSON schema or a tool call) is answered with `structured`'s value: OpenAI
 * `response_format: {type: "json_schema"}`, Anthropic `output_config.format` (native structured
 * output) or a forced `json` tool (answered with a `tool_use` block), Gemini
 * `responseMimeType: "application/json"`. A string is sent as it is (to script invalid answers).
 */
export type FakeProvider = 'openai' | 'anthropic' | 'google';

export interface FakeBehaviour {
  /** Answer with this provider error status (429, 500, 503, 529…) instead of a completion. */
  status?: number;
  /** With 429: the Retry-After header (seconds). */
  retryAfter?: number;
  /** Wait this long before answering (for timeouts and cancellation). */
  delayMs?: number;
  /** Delay between streamed chunks. */
  chunkDelayMs?: number;
  /** Apply to this many calls with the key only, then answer normally again (e.g. one 429, then 200). */
  times?: number;
}

export interface FakeRequest {
  provider: FakeProvider;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** The key the request authenticated with, as the provider reads it. */
  apiKey: string | undefined;
}

export interface FakeProviders {
  url: string;
  baseUrl: (provider: FakeProvider) => string;
  validKeys: Set<string>;
  requests: FakeRequest[];
  /** The model ids each provider lists. */
  models: Record<FakeProvider, string[]>;
  /** The text of every completion (default: "OK"); split on spaces into streamed chunks and tokens. */
  reply: (input: { provider: FakeProvider; model: string; prompt: string }) => string;
  /** The answer to a structured-output request (default: `{}`); a string is sent verbatim. */
  structured: (input: { provider: FakeProvider; model: string; prompt: string; schema: unknown }) => unknown;
  script: (apiKey: string, behaviour: FakeBehaviour | undefined) => void;
  /** Requests cut off by the client before the answer was complete (streaming cancellation). */
  aborted: number;
  close: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tokens = (text: string) => Math.max(1, text.split(/\s+/).filter(Boolean).length);
const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`;

export async function startFakeProviders(): Promise<FakeProviders> {
  const behaviours = new Map<string, FakeBehaviour>();
  const fake: FakeProviders = {
    url: '',
    baseUrl: (p) => `${fake.url}/${p}/${p === 'google' ? 'v1beta' : 'v1'}`,
    validKeys: new Set(),
    requests: [],
    models: {
      openai: ['gpt-4.1-nano', 'gpt-4.1-mini', 'gpt-4o'],
      anthropic: ['claude-haiku-4-5', 'claude-sonnet-4-5'],
      google: ['gemini-2.5-flash-lite', 'gemini-2.5-pro'],
    },
    reply: () => 'OK',
    structured: () => ({}),
    script: (apiKey, behaviour) =>
      behaviour ? behaviours.set(apiKey, behaviour) : behaviours.delete(apiKey),
    aborted: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: Error) => {
      if (!res.headersSent) json(res, 500, { error: { message: `fake provider crashed: ${err.message}` } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const [, provider, ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    if (provider !== 'openai' && provider !== 'anthropic' && provider !== 'google')
      return json(res, 404, { error: { message: `no fake provider at ${url.pathname}` } });
    const apiKey = keyOf(provider, req, url);
    fake.requests.push({ provider, method: req.method ?? 'GET', path, headers: req.headers, body, apiKey });
    let finished = false;
    res.on('finish', () => (finished = true));
    res.on('close', () => {
      if (!finished) fake.aborted++;
    });

    if (!apiKey || !fake.validKeys.has(apiKey)) return refuseKey(provider, res, apiKey);
    const behaviour = behaviours.get(apiKey) ?? {};
    if (behaviour.times !== undefined && --behaviour.times <= 0) behaviours.delete(apiKey);
    if (behaviour.delayMs) await sleep(behaviour.delayMs);
    if (behaviour.status) return providerError(provider, res, behaviour.status, behaviour.retryAfter);

    const b = (body ?? {}) as Record<string, unknown>;
    if (provider === 'openai') {
      if (req.method === 'GET' && path === '/v1/models')
        return json(res, 200, {
          object: 'list',
          data: fake.models.openai.map((m) => ({
            id: m,
            object: 'model',
            created: 1715367049,
            owned_by: 'system',
          })),
        });
      if (req.method === 'POST' && path === '/v1/chat/completions') return openaiChat(res, b, behaviour);
      if (req.method === 'POST' && path === '/v1/responses') return openaiResponses(res, b, behaviour);
    }
    if (provider === 'anthropic') {
      if (req.method === 'GET' && path === '/v1/models')
        return json(res, 200, {
          data: fake.models.anthropic.map((m) => ({
            type: 'model',
            id: m,
            display_name: m,
            created_at: '2025-10-01T00:00:00Z',
          })),
          has_more: false,
          first_id: fake.models.anthropic[0],
          last_id: fake.models.anthropic.at(-1),
        });
      if (req.method === 'POST' && path === '/v1/messages') return anthropicMessages(res, b, behaviour);
    }
    if (provider === 'google') {
      if (req.method === 'GET' && path === '/v1beta/models')
        return json(res, 200, {
          models: fake.models.google.map((m) => ({
            name: `models/${m}`,
            displayName: m,
            inputTokenLimit: 1048576,
            outputTokenLimit: 65536,
            supportedGenerationMethods: ['generateContent', 'countTokens'],
          })),
        });
      const call = /^\/v1beta\/models\/([^:]+):(generateContent|streamGenerateContent)$/.exec(path);
      if (req.method === 'POST' && call)
        return gemini(res, b, call[1], call[2] === 'streamGenerateContent', behaviour);
    }
    return providerError(provider, res, 404);
  }

  /** The structured answer as text, for a request that asked for one with `schema`. */
  function structuredText(provider: FakeProvider, model: string, prompt: string, schema: unknown): string {
    const value = fake.structured({ provider, model, prompt, schema });
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  // ------------------------------------------------------------------ OpenAI
  function openaiPrompt(b: Record<string, unknown>): string {
    const messages = (b.messages ?? []) as Array<{ content: unknown }>;
    const input = b.input;
    if (typeof input === 'string') return input;
    const parts = Array.isArray(input) ? (input as Array<{ content: unknown }>) : messages;
    return parts.map((m) => flatten(m.content)).join('\n');
  }

  async function openaiChat(res: ServerResponse, b: Record<string, unknown>, behaviour: FakeBehaviour) {
    const model = String(b.model);
    const prompt = openaiPrompt(b);
    const format = b.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined;
    const { text, finish } =
      format?.type === 'json_schema'
        ? { text: structuredText('openai', model, prompt, format.json_schema?.schema), finish: 'stop' }
        : limited(fake.reply({ provider: 'openai', model, prompt }), b.max_completion_tokens ?? b.max_tokens);
    const usage = {
      prompt_tokens: tokens(prompt),
      completion_tokens: tokens(text),
      total_tokens: tokens(prompt) + tokens(text),
    };
    const base = {
      id: id('chatcmpl-'),
      created: Math.floor(Date.now() / 1000),
      model,
      system_fingerprint: 'fp_fake',
    };
    if (!b.stream)
      return json(res, 200, {
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null },
            logprobs: null,
            finish_reason: finish === 'length' ? 'length' : 'stop',
          },
        ],
        usage,
      });
    sse(res);
    const chunk = (choices: unknown[], extra: object = {}) =>
      `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`;
    if (
      !write(
        res,
        chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
      )
    )
      return;
    for (const piece of pieces(text)) {
      if (behaviour.chunkDelayMs) await sleep(behaviour.chunkDelayMs);
      if (!write(res, chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }])))
        return;
    }
    write(
      res,
      chunk([
        { index: 0, delta: {}, logprobs: null, finish_reason: finish === 'length' ? 'length' : 'stop' },
      ]),
    );
    if ((b.stream_options as { include_usage?: boolean } | undefined)?.include_usage)
      write(res, chunk([], { usage }));
    write(res, 'data: [DONE]\n\n');
    res.end();
  }

  async function openaiResponses(res: ServerResponse, b: Record<string, unknown>, behaviour: FakeBehaviour) {
    const model = String(b.model);
    const prompt = openaiPrompt(b);
    const { text } = limited(fake.reply({ provider: 'openai', model, prompt }), b.max_output_tokens);
    const messageId = id('msg_');
    const usage = {
      input_tokens: tokens(prompt),
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: tokens(text),
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: tokens(prompt) + tokens(text),
    };
    const item = {
      type: 'message',
      id: messageId,
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text, annotations: [] }],
    };
    const response = {
      id: id('resp_'),
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status: 'completed',
      model,
      output: [item],
      usage,
      error: null,
      incomplete_details: null,
    };
    if (!b.stream) return json(res, 200, response);
    sse(res);
    let seq = 0;
    const event = (type: string, data: object) =>
      write(res, `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
    event('response.created', { response: { ...response, status: 'in_progress', output: [], usage: null } });
    event('response.output_item.added', {
      output_index: 0,
      item: { ...item, status: 'in_progress', content: [] },
    });
    for (const piece of pieces(text)) {
      if (behaviour.chunkDelayMs) await sleep(behaviour.chunkDelayMs);
      if (
        !event('response.output_text.delta', {
          item_id: messageId,
          output_index: 0,
          content_index: 0,
          delta: piece,
          logprobs: [],
        })
      )
        return;
    }
    event('response.output_text.done', {
      item_id: messageId,
      output_index: 0,
      content_index: 0,
      text,
      logprobs: [],
    });
    event('response.output_item.done', { output_index: 0, item });
    event('response.completed', { response });
    res.end();
  }

  // ------------------------------------------------------------------ Anthropic
  async function anthropicMessages(
    res: ServerResponse,
    b: Record<string, unknown>,
    behaviour: FakeBehaviour,
  ) {
    const model = String(b.model);
    const prompt = [
      flatten(b.system),
      ...((b.messages ?? []) as Array<{ content: unknown }>).map((m) => flatten(m.content)),
    ].join('\n');
    const format = (b.output_config as { format?: { type?: string; schema?: unknown } } | undefined)?.format;
    const jsonTool = ((b.tools ?? []) as Array<{ name?: string; input_schema?: unknown }>).find(
      (t) => t.name === 'json',
    );
    if (jsonTool && !b.stream) {
      const answer = structuredText('anthropic', model, prompt, jsonTool.input_schema);
      let input: unknown;
      try {
        input = JSON.parse(answer);
      } catch {
        input = answer;
      }
      return json(res, 200, {
        id: id('msg_'),
        type: 'message',
        role: 'assistant',
        model,
        stop_sequence: null,
        content: [{ type: 'tool_use', id: id('toolu_'), name: 'json', input }],
        stop_reason: 'tool_use',
        usage: { input_tokens: tokens(prompt), output_tokens: tokens(answer) },
      });
    }
    const { text, finish } =
      format?.type === 'json_schema'
        ? { text: structuredText('anthropic', model, prompt, format.schema), finish: 'stop' }
        : limited(fake.reply({ provider: 'anthropic', model, prompt }), b.max_tokens);
    const stopReason = finish === 'length' ? 'max_tokens' : 'end_turn';
    const usage = { input_tokens: tokens(prompt), output_tokens: tokens(text) };
    const message = { id: id('msg_'), type: 'message', role: 'assistant', model, stop_sequence: null };
    if (!b.stream)
      return json(res, 200, {
        ...message,
        content: [{ type: 'text', text }],
        stop_reason: stopReason,
        usage,
      });
    sse(res);
    const event = (type: string, data: object) =>
      write(res, `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    event('message_start', {
      message: {
        ...message,
        content: [],
        stop_reason: null,
        usage: { input_tokens: usage.input_tokens, output_tokens: 1 },
      },
    });
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    event('ping', {});
    for (const piece of pieces(text)) {
      if (behaviour.chunkDelayMs) await sleep(behaviour.chunkDelayMs);
      if (!event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } })) return;
    }
    event('content_block_stop', { index: 0 });
    event('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    });
    event('message_stop', {});
    res.end();
  }

  // ------------------------------------------------------------------ Gemini
  async function gemini(
    res: ServerResponse,
    b: Record<string, unknown>,
    model: string,
    stream: boolean,
    behaviour: FakeBehaviour,
  ) {
    const contents = (b.contents ?? []) as Array<{ parts?: Array<{ text?: string }> }>;
    const system = (b.systemInstruction as { parts?: Array<{ text?: string }> } | undefined)?.parts ?? [];
    const prompt = [...system, ...contents.flatMap((c) => c.parts ?? [])].map((p) => p.text ?? '').join('\n');
    const config = (b.generationConfig ?? {}) as {
      maxOutputTokens?: number;
      responseMimeType?: string;
      responseSchema?: unknown;
      responseJsonSchema?: unknown;
    };
    const { text, finish } =
      config.responseMimeType === 'application/json'
        ? {
            text: structuredText('google', model, prompt, config.responseJsonSchema ?? config.responseSchema),
            finish: 'stop',
          }
        : limited(fake.reply({ provider: 'google', model, prompt }), config.maxOutputTokens);
    const usageMetadata = {
      promptTokenCount: tokens(prompt),
      candidatesTokenCount: tokens(text),
      totalTokenCount: tokens(prompt) + tokens(text),
    };
    const candidate = (t: string, done: boolean) => ({
      content: { parts: [{ text: t }], role: 'model' },
      ...(done ? { finishReason: finish === 'length' ? 'MAX_TOKENS' : 'STOP' } : {}),
      index: 0,
    });
    const responseId = id('');
    if (!stream)
      return json(res, 200, {
        candidates: [candidate(text, true)],
        usageMetadata,
        modelVersion: model,
        responseId,
      });
    sse(res);
    const all = pieces(text);
    for (const [i, piece] of all.entries()) {
      if (behaviour.chunkDelayMs) await sleep(behaviour.chunkDelayMs);
      const last = i === all.length - 1;
      const data = {
        candidates: [candidate(piece, last)],
        ...(last ? { usageMetadata } : {}),
        modelVersion: model,
        responseId,
      };
      if (!write(res, `data: ${JSON.stringify(data)}\r\n\r\n`)) return;
    }
    res.end();
  }

  // ------------------------------------------------------------------ errors and plumbing
  function keyOf(provider: FakeProvider, req: IncomingMessage, url: URL): string | undefined {
    if (provider === 'anthropic') return header(req, 'x-api-key');
    if (provider === 'google')
      return header(req, 'x-goog-api-key') ?? url.searchParams.get('key') ?? undefined;
    return header(req, 'authorization')?.replace(/^Bearer\s+/i, '');
  }

  function refuseKey(provider: FakeProvider, res: ServerResponse, apiKey: string | undefined) {
    if (provider === 'openai') {
      const shown = apiKey ? `${apiKey.slice(0, 3)}*****${apiKey.slice(-4)}` : '';
      return json(res, 401, {
        error: {
          message: apiKey
            ? `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`
            : "You didn't provide an API key.",
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    }
    if (provider === 'anthropic')
      return json(res, 401, {
        type: 'error',
        error: { type: 'authentication_error', message: 'invalid x-api-key' },
        request_id: id('req_'),
      });
    return json(res, 400, {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
        ],
      },
    });
  }

  function providerError(provider: FakeProvider, res: ServerResponse, status: number, retryAfter?: number) {
    if (status === 429 && retryAfter !== undefined) res.setHeader('retry-after', String(retryAfter));
    if (provider === 'openai') {
      const [type, code, message] =
        status === 429
          ? ['requests', 'rate_limit_exceeded', 'Rate limit reached for requests. Please try again later.']
          : status === 404
            ? [
                'invalid_request_error',
                'model_not_found',
                'The model does not exist or you do not have access to it.',
              ]
            : [
                'server_error',
                null,
                'The server had an error while processing your request. Sorry about that!',
              ];
      return json(res, status, { error: { message, type, param: null, code } });
    }
    if (provider === 'anthropic') {
      const type =
        status === 429
          ? 'rate_limit_error'
          : status === 529
            ? 'overloaded_error'
            : status === 404
              ? 'not_found_error'
              : 'api_error';
      const message =
        status === 429
          ? 'Number of request tokens has exceeded your per-minute rate limit'
          : status === 529
            ? 'Overloaded'
            : status === 404
              ? 'model: not found'
              : 'Internal server error';
      return json(res, status, { type: 'error', error: { type, message }, request_id: id('req_') });
    }
    const [grpc, message] =
      status === 429
        ? ['RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).']
        : status === 404
          ? ['NOT_FOUND', 'models/unknown is not found for API version v1beta']
          : status === 503
            ? ['UNAVAILABLE', 'The model is overloaded. Please try again later.']
            : [
                'INTERNAL',
                'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
              ];
    return json(res, status, { error: { code: status, message, status: grpc } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sse(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
}

/** Writes unless the client went away; false tells the streamer to stop. */
function write(res: ServerResponse, chunk: string): boolean {
  if (res.destroyed || res.writableEnded) return false;
  res.write(chunk);
  return true;
}

/** Stream pieces: each word with its following space, so the pieces join back to the text. */
function pieces(text: string): string[] {
  const out = text.match(/\S+\s*|\s+/g) ?? [''];
  return out.length ? out : [''];
}

/** Cuts the reply to `max` words (tokens here), telling whether it was cut. */
function limited(text: string, max: unknown): { text: string; finish: 'stop' | 'length' } {
  const words = text.split(/(?<=\s)/);
  if (typeof max === 'number' && max > 0 && tokens(text) > max)
    return { text: words.slice(0, max).join('').trimEnd(), finish: 'length' };
  return { text, finish: 'stop' };
}

function flatten(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((p: { text?: string; type?: string }) => (typeof p === 'string' ? p : (p.text ?? '')))
      .join('');
  return '';
}
