import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets the server must use again later (a provider's API key), as opposed to
 * secrets it only compares (hashed). Each secret gets a random 12-byte IV; the caller's context
 * (the organization id) is bound as additional authenticated data, so a ciphertext copied to
 * another organization's row fails to decrypt instead of yielding the key there.
 */
export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  /** Which master key sealed it (`masterKeyVersion`). */
  keyVersion: number;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** Parses a 32-byte master key given as base64 (standard or url-safe) or 64 hex digits; undefined if not one. */
export function parseMasterKey(value: string): Buffer | undefined {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const bytes = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  return undefined;
}

/**
 * The version stored with every secret: the first 31 bits of sha256 of the master key. It names a
 * master key without revealing it, so rows sealed under an older key are recognized (and found by
 * the rotation) without trying every key.
 */
export function masterKeyVersion(key: Buffer): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) >>> 1;
}

/** A 32-byte master key as base64, for generating one (development, `keys:rotate --generate`). */
export const generateMasterKey = (): string => randomBytes(32).toString('base64');

/** Seals and opens secrets under the current master key; opens under a previous one during a rotation. */
export class SecretBox {
  readonly version: number;
  private readonly keys = new Map<number, Buffer>();

  constructor(current: Buffer, previous: Buffer[] = []) {
    if (current.length !== 32) throw new SecretBoxError('The master key must be 32 bytes');
    this.version = masterKeyVersion(current);
    for (const key of [...previous].reverse()) this.keys.set(masterKeyVersion(key), key);
    this.keys.set(this.version, current);
  }

  seal(plaintext: string, context: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.version)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag(), keyVersion: this.version };
  }

  /** Whether a secret sealed under `version` can be opened with the keys this box holds. */
  knows(version: number): boolean {
    return this.keys.has(version);
  }

  /**
   * Opens a sealed secret. Fails with a SecretBoxError (never naming the secret) when the master
   * key of its version is not configured, or when the ciphertext, IV, tag or context do not match.
   */
  open(sealed: SealedSecret, context: string): string {
    const key = this.keys.get(sealed.keyVersion);
    if (!key)
      throw new SecretBoxError(
        `The secret was encrypted under master key version ${sealed.keyVersion}, which is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS`,
      );
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(sealed.authTag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('The secret could not be decrypted (wrong key, or it belongs elsewhere)');
    }
  }
}
