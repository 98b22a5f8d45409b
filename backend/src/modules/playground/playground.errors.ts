import { defineErrors } from '../../common/errors/domain.exception';

/**
 * Playground rules and provider failures (API-CONTRACT.md, "Provider keys, runs and evaluations";
 * docs/playground.md, "Runs"). Provider problems carry `providerStatus` (the provider's HTTP
 * status, null when none) and `runId` (the stored run) as extensions.
 */
export class PlaygroundException extends defineErrors('playground', {
  /** The organization has no key for the model's provider (or `providerKeyId` names none of it). */
  provider_key_missing: { status: 409, title: 'No provider key for this model' },
  /** The key was sealed under a master key this server no longer has: add it again. */
  provider_key_unreadable: { status: 409, title: 'Provider key cannot be decrypted' },
  /** The provider answered with an error (a refused key, a bad request, its own failure). */
  provider_error: { status: 502, title: 'The model provider failed' },
  /** The provider rate limits the key; `Retry-After` says when to try again. */
  provider_rate_limited: { status: 429, title: 'The model provider is rate limiting this key' },
  /** The provider did not answer within PROVIDER_TIMEOUT_MS. */
  provider_timeout: { status: 504, title: 'The model provider did not answer in time' },
  /** The provider could not be reached (connection refused, DNS, private address not allowed). */
  provider_unreachable: { status: 502, title: 'The model provider could not be reached' },
}) {}
