import type { NextFunction, Request, Response } from 'express';
import { AppException, FieldError } from '../errors/domain.exception';

/**
 * How deep a request body or query may nest. Our deepest legitimate shape (a prompt's variables'
 * options, a saved search's filters) is 3 levels; class-transformer and class-validator recurse
 * once per level, so an unbounded depth is a stack overflow (a 500) waiting for a hostile client.
 */
export const MAX_INPUT_DEPTH = 32;

/** Strings PostgreSQL cannot store: `text` refuses NUL, and lone surrogates are not UTF-8 at all. */
const LONE_SURROGATE = /\p{Cs}/u;

/** What is wrong with one string, or undefined when PostgreSQL, JSON and URIs can all carry it. */
export function stringProblem(value: string, field: string): string | undefined {
  if (value.includes('\u0000')) return `${field} must not contain NUL characters`;
  if (LONE_SURROGATE.test(value)) return `${field} must be well-formed Unicode (no lone surrogates)`;
  return undefined;
}

/**
 * The first problem in a parsed body, query or parameter: too deep, or a string (value or key)
 * that the database or the audit log's JSON cannot carry. Iterative on purpose: it must not
 * overflow on the very input it exists to refuse. Field paths use the dotted form of the
 * validation pipe's errors (`variables.0.name`).
 */
export function findInputProblem(value: unknown, root = ''): FieldError | undefined {
  const stack: Array<{ value: unknown; field: string; depth: number }> = [{ value, field: root, depth: 0 }];
  while (stack.length) {
    const { value: v, field, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const message = stringProblem(v, field || 'value');
      if (message) return { field: field || 'value', message };
      continue;
    }
    // Only what the JSON, urlencoded and query parsers build: a raw Buffer body is bytes, not fields.
    if (!Array.isArray(v) && !isPlainObject(v)) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      return {
        field: field || 'body',
        message: `${field || 'body'} is nested too deeply (at most ${MAX_INPUT_DEPTH} levels)`,
      };
    }
    for (const [key, child] of Object.entries(v)) {
      const childField = field ? `${field}.${key}` : key;
      const keyMessage = stringProblem(key, 'property names');
      if (keyMessage) return { field: childField, message: keyMessage };
      stack.push({ value: child, field: childField, depth: depth + 1 });
    }
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function inputRejected(problem: FieldError): AppException {
  return new AppException('validation_failed', problem.message, { errors: [problem] });
}

/** Throws the 400 the contract promises for input the rest of the server must never see. */
export function assertSafeInput(value: unknown, root = ''): void {
  const problem = findInputProblem(value, root);
  if (problem) throw inputRejected(problem);
}

/**
 * Path segments as Express will decode them for route parameters: a segment that does not
 * decode (`%ED%A0%80` is a lone surrogate in UTF-8, `%E0%A4%A` is cut short) or decodes to NUL.
 */
export function pathProblem(path: string): FieldError | undefined {
  for (const segment of path.split('/')) {
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { field: 'path', message: `the path segment "${segment}" is not valid percent-encoded UTF-8` };
    }
    const message = stringProblem(decoded, 'path segments');
    if (message) return { field: 'path', message };
  }
  return undefined;
}

/**
 * Express middleware placed right after the body parsers, so it sees every route's input (also
 * the few handlers that read `req.body` themselves) before guards, pipes and the database do.
 * Route parameters are checked again by name in the validation pipe.
 */
export function inputGuard(req: Request, _res: Response, next: NextFunction): void {
  const problem =
    pathProblem(req.path) ??
    findInputProblem(req.query) ??
    (req.body !== undefined ? findInputProblem(req.body as unknown) : undefined);
  next(problem ? inputRejected(problem) : undefined);
}
