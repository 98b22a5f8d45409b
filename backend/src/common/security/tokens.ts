import { createHash, randomBytes } from 'node:crypto';

/** A URL-safe secret with 256 bits of entropy. */
export const newSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

/**
 * Secrets are stored only as their sha256 (hex); the plain value is shown once. Lookups go by the
 * digest through a unique index, so no secret is ever compared in application code.
 */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
