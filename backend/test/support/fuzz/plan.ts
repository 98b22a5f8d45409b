import type { Operation, Parameter, Schema } from './openapi';
import { Prng } from './prng';
import {
  deepJson,
  encodeComponent,
  Fixtures,
  HOSTILE_CURSORS,
  hostilePathValues,
  hostileValues,
  plausible,
} from './values';

export interface FuzzRequest {
  /** What was varied, for the failure report. */
  label: string;
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  /** The raw body and its media type. */
  body?: string;
  contentType?: string;
}

export interface Caller {
  token: string;
  organizationId: string;
}

/** Node refuses request heads over 16 KB itself (431, no body); the fuzzer aims past that, at us. */
const MAX_QUERY_VALUE = 4000;

/** The fixture a path parameter names, from the parameter and the resource around it. */
function pathFixture(path: string, name: string, f: Fixtures): string {
  if (name === 'orgSlug') return f.organizationSlug;
  if (name === 'slug') return f.promptSlug;
  if (name === 'label') return 'staging';
  if (name === 'version') return '1';
  if (name === 'userId') return f.memberUserId;
  if (name === 'inviteId') return f.inviteId;
  if (name === 'keyId') return f.apiKeyId;
  if (name === 'caseId') return f.testCaseId;
  const resource = path.split('/{')[0];
  if (resource.endsWith('/organizations')) return f.organizationId;
  if (resource.endsWith('/search/saved')) return f.savedSearchId;
  if (resource.endsWith('/tags')) return f.tagId;
  if (resource.endsWith('/categories')) return f.categoryId;
  if (resource.endsWith('/collections')) return f.collectionId;
  if (resource.endsWith('/comments')) return f.commentId;
  return f.promptId;
}

/** A query value as text: strings as they are, anything else as its JSON (null as nothing). */
const scalar = (v: unknown): string =>
  v === null ? '' : typeof v === 'string' ? v : (JSON.stringify(v) ?? '');

function queryString(entries: Array<[string, unknown]>): string {
  const parts: string[] = [];
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      // Repeated keys: the extended query parser makes an array of them (a wrong type for most).
      for (const v of value) parts.push(`${key}=${encodeComponent(scalar(v))}`);
      if (!value.length) parts.push(`${key}[]=`);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value))
        parts.push(`${key}[${encodeComponent(k)}]=${encodeComponent(scalar(v))}`);
    } else {
      parts.push(`${key}=${encodeComponent(scalar(value)).slice(0, MAX_QUERY_VALUE)}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Body fields to mutate: top-level ones, and one level into nested objects and arrays of objects. */
function bodyFields(schema: Schema): Array<{
  label: string;
  schema: Schema;
  set: (base: Record<string, unknown>, v: unknown, f: Fixtures, path: string) => Record<string, unknown>;
}> {
  const fields: ReturnType<typeof bodyFields> = [];
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    fields.push({ label: key, schema: prop, set: (base, v) => ({ ...base, [key]: v }) });
    const item = prop.type === 'array' ? prop.items : undefined;
    const nested = prop.type === 'object' && prop.properties ? prop : item?.properties ? item : undefined;
    if (!nested) continue;
    for (const [inner, innerSchema] of Object.entries(nested.properties ?? {})) {
      const isArray = nested === item;
      fields.push({
        label: `${key}${isArray ? '.0' : ''}.${inner}`,
        schema: innerSchema,
        set: (base, v, f, path) => {
          const child = { ...(plausible(nested, key, f, path) as Record<string, unknown>), [inner]: v };
          return { ...base, [key]: isArray ? [child] : child };
        },
      });
    }
  }
  return fields;
}

/**
 * The requests for one operation: a baseline that should get through validation, then hostile
 * variants of every parameter and body field (round-robin, so each field is hit before any is hit
 * twice), cut to `budget`. Deterministic for a given PRNG state.
 */
export function planRequests(
  op: Operation,
  f: Fixtures,
  caller: Caller,
  prng: Prng,
  budget: number,
): FuzzRequest[] {
  const params = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where);
  const pathValues = Object.fromEntries(params('path').map((p) => [p.name, pathFixture(op.path, p.name, f)]));
  const baseQuery: Array<[string, unknown]> = params('query')
    .filter((p) => p.required)
    .map((p) => [p.name, p.name === 'limit' ? 5 : plausible(p.schema ?? {}, p.name, f, op.path)]);
  const baseHeaders: Record<string, string> = {};
  if (!op.isPublic) baseHeaders.Authorization = `Bearer ${caller.token}`;
  if (op.tenantHeader) baseHeaders['X-Organization-Id'] = caller.organizationId;
  const isForm = op.body?.mediaType === 'application/x-www-form-urlencoded';
  const baseBody = op.body
    ? (plausible(op.body.schema, 'body', f, op.path) as Record<string, unknown>)
    : undefined;

  const url = (path: Record<string, string>, query: Array<[string, unknown]>) =>
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => path[name]) + queryString(query);
  const encodeBody = (value: unknown): string =>
    isForm ? queryString(Object.entries(value as Record<string, unknown>)).slice(1) : JSON.stringify(value);
  const request = (
    label: string,
    over: Partial<FuzzRequest> & {
      path?: Record<string, string>;
      query?: Array<[string, unknown]>;
      value?: unknown;
    } = {},
  ): FuzzRequest => {
    const body = over.body ?? (op.body ? encodeBody(over.value ?? baseBody) : undefined);
    return {
      label,
      method: op.method,
      url: url(over.path ?? pathValues, over.query ?? baseQuery),
      headers: over.headers ?? baseHeaders,
      body,
      contentType:
        over.contentType ?? (body !== undefined ? (op.body?.mediaType ?? 'application/json') : undefined),
    };
  };

  const fixed: FuzzRequest[] = [request('baseline')];
  if (!op.isPublic) {
    const { Authorization: _, ...anonymous } = baseHeaders;
    fixed.push(request('no credentials', { headers: anonymous }));
    fixed.push(
      request('garbage bearer token', { headers: { ...baseHeaders, Authorization: 'Bearer not.a.jwt' } }),
    );
    fixed.push(request('garbage API key', { headers: { ...anonymous, 'X-API-Key': 'pv_garbage\u00ff' } }));
  }
  if (op.tenantHeader) {
    for (const org of ['garbage', '', f.foreignOrganizationId, caller.organizationId.toUpperCase()]) {
      fixed.push(
        request(`X-Organization-Id ${JSON.stringify(org)}`, {
          headers: { ...baseHeaders, 'X-Organization-Id': org },
        }),
      );
    }
  }
  fixed.push(
    request('unknown and repeated query parameters', {
      query: [...baseQuery, ['zzz', '1'], ['limit', ['1', '2']]],
    }),
  );
  if (op.body && !isForm) {
    for (const [label, body] of [
      ['malformed JSON', '{"a":'],
      ['5,000 levels of objects', deepJson(5000)],
      ['5,000 levels of arrays', deepJson(5000, '[', ']')],
      [
        '__proto__ member',
        JSON.stringify(baseBody).replace(/^\{/, '{"__proto__":{"polluted":true},').replace(/,}$/, '}'),
      ],
      ['JSON null', 'null'],
      ['JSON array', '[]'],
      ['JSON string', '"x"'],
      ['unknown field with a NUL name', JSON.stringify({ ...baseBody, ['\u0000']: 1 })],
    ] as const) {
      fixed.push(request(label, { body }));
    }
    fixed.push(request('text/plain body', { contentType: 'text/plain' }));
  }
  if (isForm) {
    fixed.push(request('form: NUL and nesting', { body: 'SAMLResponse=%00&a[b][c][d][e][f][g]=1' }));
    fixed.push(request('form: invalid UTF-8', { body: 'SAMLResponse=%ED%A0%80&RelayState=%E0%A4%A' }));
  }

  // One queue of hostile values per field; taken round-robin.
  const queues: Array<{ label: string; requests: FuzzRequest[] }> = [];
  for (const p of params('path')) {
    queues.push({
      label: `path ${p.name}`,
      requests: prng
        .shuffle(hostilePathValues(p.name, f))
        .map((v) => request(`path ${p.name}=${v.slice(0, 40)}`, { path: { ...pathValues, [p.name]: v } })),
    });
  }
  for (const p of params('query')) {
    const values: unknown[] =
      p.name === 'cursor' ? [...HOSTILE_CURSORS] : hostileValues(p.schema ?? {}, p.name, f);
    const others = baseQuery.filter(([k]) => k !== p.name);
    queues.push({
      label: `query ${p.name}`,
      requests: prng
        .shuffle(values)
        .map((v) =>
          request(`query ${p.name}=${JSON.stringify(v)?.slice(0, 40)}`, { query: [...others, [p.name, v]] }),
        ),
    });
  }
  for (const p of params('header').filter((h) => h.name.toLowerCase() !== 'x-organization-id')) {
    queues.push({
      label: `header ${p.name}`,
      requests: ['"x"', 'W/"' + 'x'.repeat(3000) + '"', '*', '\u00ff\u00fe', ''].map((v) =>
        request(`header ${p.name}=${v.slice(0, 20)}`, { headers: { ...baseHeaders, [p.name]: v } }),
      ),
    });
  }
  if (op.body && baseBody) {
    for (const field of bodyFields(op.body.schema)) {
      queues.push({
        label: `body ${field.label}`,
        requests: prng.shuffle(hostileValues(field.schema, field.label.split('.').pop()!, f)).map((v) =>
          request(`body ${field.label}=${JSON.stringify(v)?.slice(0, 40)}`, {
            value: field.set(baseBody, v, f, op.path),
          }),
        ),
      });
    }
  }

  const planned = [...fixed];
  for (let round = 0; planned.length < budget; round++) {
    const inRound = queues.filter((q) => round < q.requests.length);
    if (!inRound.length) break;
    for (const q of prng.shuffle(inRound)) {
      if (planned.length >= budget) break;
      planned.push(q.requests[round]);
    }
  }
  return planned;
}
