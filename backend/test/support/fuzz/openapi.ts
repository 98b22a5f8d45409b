import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The subset of OpenAPI 3 the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  nullable?: boolean;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/api/v1/prompts/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The request body's media type and resolved schema, if the operation takes one. */
  body?: { mediaType: string; schema: Schema; required: boolean };
  /** No `security` requirement: the route is public. */
  isPublic: boolean;
  /** Sends `X-Organization-Id` (a tenant route by header). */
  tenantHeader: boolean;
}

interface Document {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  security?: unknown[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the committed OpenAPI document (`docs/openapi.json`), schemas resolved. */
export function loadOperations(file = join(__dirname, '../../../../docs/openapi.json')): Operation[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Document;
  const resolve = (schema: Schema, seen = new Set<string>()): Schema => {
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      if (seen.has(name)) return { type: 'object' };
      const target = doc.components?.schemas?.[name];
      if (!target) throw new Error(`unresolved ${schema.$ref}`);
      return resolve(target, new Set([...seen, name]));
    }
    if (schema.allOf) {
      const parts = schema.allOf.map((s) => resolve(s, seen));
      return {
        type: 'object',
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<string, Schema>,
        required: parts.flatMap((p) => p.required ?? []),
      };
    }
    const out: Schema = { ...schema };
    if (schema.properties) {
      out.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, seen)]),
      );
    }
    if (schema.items) out.items = resolve(schema.items, seen);
    return out;
  };

  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const parameters = (raw.parameters ?? []).map((p) => ({ ...p, schema: p.schema && resolve(p.schema) }));
      const content = raw.requestBody?.content ?? {};
      const mediaType = Object.keys(content)[0];
      ops.push({
        method,
        path,
        parameters,
        body: mediaType
          ? { mediaType, schema: resolve(content[mediaType].schema), required: !!raw.requestBody?.required }
          : undefined,
        isPublic: !raw.security?.length,
        tenantHeader: parameters.some(
          (p) => p.in === 'header' && p.name.toLowerCase() === 'x-organization-id',
        ),
      });
    }
  }
  return ops;
}
