import type { components } from './generated/openapi.js';

/**
 * Shapes of the API, taken from the types generated out of `docs/openapi.json`
 * (`npm run sdk:generate`), so the SDK cannot drift from what the server documents.
 */
type Schemas = components['schemas'];

/** `GET /prompts/by-slug/:slug`: one version of a prompt as applications fetch it. */
export type RuntimePrompt = Schemas['RuntimePromptResponseDto'];
/** A variable of a prompt version: name, type, whether it is required, its default and options. */
export type VariableDefinition = Schemas['VariableResponseDto'];
/** Model settings stored with a prompt version. */
export type PromptMetadata = Schemas['PromptMetadataResponseDto'];
/** An `application/problem+json` body (RFC 9457) with the machine-readable `code`. */
export type Problem = Schemas['ProblemDto'];
/** One field of a 400 or 422 problem. */
export type FieldError = Schemas['FieldErrorDto'];

/**
 * One usage event for `POST /usage` (API contract, "Usage and analytics"). Name the prompt by
 * `promptId` or `slug`, and the version by `version` or `label` (default: the current one).
 */
export interface UsageEvent {
  promptId?: string;
  slug?: string;
  version?: number;
  label?: string;
  /** The model that ran, e.g. `gpt-4o-mini`. */
  model: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs?: number;
  status?: 'success' | 'error';
  /** What the run cost, when the caller knows it (the server prices it from the model otherwise). */
  costUsd?: number;
  /** ISO-8601; defaults to the moment `reportUsage` was called. */
  occurredAt?: string;
  /** Makes a retried event count once (the SDK sets a random one when absent). */
  idempotencyKey?: string;
  metadata?: Record<string, unknown>;
}

/** `202` answer of `POST /usage`: how many events were stored and which were refused and why. */
export interface UsageResponse {
  accepted: number;
  rejected: { index: number; errors: FieldError[] }[];
}
