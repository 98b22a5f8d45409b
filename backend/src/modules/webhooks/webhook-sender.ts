import { lookup } from 'node:dns/promises';
import { Agent, request } from 'undici';
import {
  guardedLookup,
  isPrivateAddress,
  PRIVATE_ADDRESS_REFUSED,
  privateLiteralHost,
} from '../../common/security/outbound-address';

/** How much of a response body is kept in the delivery log. */
export const EXCERPT_BYTES = 1024;

export interface SendResult {
  /** The HTTP status, or null when no response came (refused, timed out, unreachable). */
  status: number | null;
  ok: boolean;
  durationMs: number;
  /** The first 1 KB of the response body (UTF-8, possibly cut mid-character). */
  excerpt: string | null;
  /** Why it failed, for the log (never contains a secret). */
  error: string | null;
}

const agents = new Map<string, Agent>();
function agent(allowPrivate: boolean, timeoutMs: number): Agent {
  const key = `${allowPrivate}:${timeoutMs}`;
  let found = agents.get(key);
  if (!found) {
    // The lookup checks every address a name resolves to at connect time, and the connection goes
    // to the address it checked: a name that resolved publicly at registration cannot rebind to
    // a private address later.
    found = new Agent({
      connect: { lookup: guardedLookup(allowPrivate), timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    agents.set(key, found);
  }
  return found;
}

function refusedAddress(err: unknown): string | undefined {
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

function describe(err: unknown, timedOut: boolean, timeoutMs: number): string {
  const refused = refusedAddress(err);
  if (refused)
    return `The URL reaches a private address (${refused}); this server allows only public endpoints (WEBHOOK_ALLOW_PRIVATE)`;
  if (timedOut) return `No complete response within ${timeoutMs} ms`;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.code;
  const message = e?.cause?.message ?? e?.message ?? 'unknown error';
  return `Could not deliver: ${code ? `${code} ` : ''}${message}`.slice(0, 500);
}

/**
 * POSTs one delivery: no redirects followed (a 3xx is a failure), the whole exchange bounded by
 * `timeoutMs`, and unless private addresses are allowed, literal private hosts refused before
 * connecting and resolved ones at connect time (`common/security/outbound-address.ts`).
 */
export async function sendWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { allowPrivate: boolean; timeoutMs: number },
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const literal = options.allowPrivate ? undefined : privateLiteralHost(new URL(url));
  if (literal)
    return {
      status: null,
      ok: false,
      durationMs: 0,
      excerpt: null,
      error: describe(Object.assign(new Error(literal), { code: PRIVATE_ADDRESS_REFUSED }), false, 0),
    };
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'PromptVault-Webhooks/1', ...headers },
      body,
      dispatcher: agent(options.allowPrivate, options.timeoutMs),
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        chunks.push(buf);
        size += buf.length;
        if (size >= EXCERPT_BYTES) break;
      }
    } catch {
      // A body cut short still leaves the status; the excerpt is what arrived.
    } finally {
      res.body.destroy();
    }
    const excerpt = size ? Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8') : null;
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return {
      status: res.statusCode,
      ok,
      durationMs: elapsed(),
      excerpt,
      error: ok ? null : `The endpoint answered ${res.statusCode}`,
    };
  } catch (err) {
    return {
      status: null,
      ok: false,
      durationMs: elapsed(),
      excerpt: null,
      error: describe(err, signal.aborted, options.timeoutMs),
    };
  }
}

/**
 * Why a URL may not be registered, or undefined if it may: absolute http(s), no credentials or
 * fragment, and unless private addresses are allowed, neither a private literal host nor a name
 * resolving to one (deliveries check again at connect time).
 */
export async function urlProblem(raw: string, allowPrivate: boolean): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must be an absolute http(s) URL';
  if (url.username || url.password) return 'url must not contain credentials';
  if (url.hash) return 'url must not have a fragment';
  if (allowPrivate) return undefined;
  const literal = privateLiteralHost(url);
  let addresses: string[];
  if (literal) addresses = [literal];
  else {
    try {
      addresses = (await lookup(url.hostname, { all: true })).map((a) => a.address);
    } catch {
      return `The host name ${url.hostname} could not be resolved`;
    }
  }
  const refused = addresses.find(isPrivateAddress);
  return refused
    ? `url reaches a private address (${refused}); this server allows only public endpoints (WEBHOOK_ALLOW_PRIVATE)`
    : undefined;
}
