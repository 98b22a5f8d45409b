import type { RuntimePrompt } from '../src/types.js';

export interface Call {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (call: Call) => Response | Promise<Response>;

/** A fetch that records every call and answers from a queue of handlers (the last one repeats). */
export function fakeFetch(...handlers: Handler[]) {
  const calls: Call[] = [];
  const queue = [...handlers];
  const fn = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const call: Call = {
      method: init.method ?? 'GET',
      url: new URL(input instanceof Request ? input.url : input),
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const handler = queue.length > 1 ? queue.shift()! : queue[0];
    if (!handler) throw new Error('no handler');
    return handler(call);
  };
  return { fetch: fn, calls };
}

export const prompt = (over: Partial<RuntimePrompt> = {}): RuntimePrompt => ({
  id: '6f1c1a8e-2b7e-4c1e-9d7a-3a0f0c2f5b11',
  slug: 'welcome',
  version: 1,
  label: 'production',
  title: 'Welcome',
  content: 'Hello {{name}}',
  variables: [{ name: 'name', type: 'text', required: true }],
  metadata: { model: 'gpt-4o-mini' },
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const problem = (
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) =>
  new Response(
    JSON.stringify({
      type: `https://errors.prompt-vault.dev/${code}`,
      title: code,
      status,
      detail: `detail of ${code}`,
      instance: '/x',
      requestId: 'req-1',
      code,
      ...extra,
    }),
    { status, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req-1', ...headers } },
  );

export const notModified = (etag: string) => new Response(null, { status: 304, headers: { etag } });

export const networkError = (): Response => {
  throw new TypeError('fetch failed');
};
