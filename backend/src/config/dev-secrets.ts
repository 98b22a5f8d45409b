import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMasterKey, parseMasterKey } from '../common/security/secret-box';
import { ConfigValidationError } from './config-validation-error';

/*
 * Secrets a development server makes for itself in DATA_DIR on first start (production must set
 * them: loadConfig refuses to start without), and the parsing of the audit signing key.
 */

/** Reads the JWT secret for development from DATA_DIR, creating it on first start. */
export function devJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Reads the master encryption key for development from DATA_DIR, creating it on first start. */
export function devEncryptionKey(dataDir: string): Buffer {
  const file = join(dataDir, 'encryption-key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, generateMasterKey(), { mode: 0o600 });
  }
  const key = parseMasterKey(readFileSync(file, 'utf8'));
  if (!key) throw new ConfigValidationError([`ENCRYPTION_KEY: ${file} does not hold a 32-byte base64 key`]);
  return key;
}

export const AUDIT_KEY_FORMAT =
  'must be an Ed25519 private key, PKCS#8 as PEM or base64 DER (generate one with: openssl genpkey -algorithm ed25519)';

/** An Ed25519 private key as PKCS#8 PEM, from PEM (literal `\n` allowed) or base64 DER; undefined if it is not one. */
export function parseAuditSigningKey(value: string): string | undefined {
  try {
    const text = value.trim().replace(/\\n/g, '\n');
    const key = text.startsWith('-----BEGIN')
      ? createPrivateKey(text)
      : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType !== 'ed25519') return undefined;
    return key.export({ format: 'pem', type: 'pkcs8' }).toString();
  } catch {
    return undefined;
  }
}

/** Reads the audit signing key for development from DATA_DIR, creating it on first start. */
export function devAuditSigningKey(dataDir: string): string {
  const file = join(dataDir, 'audit-signing-key.pem');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  }
  const key = parseAuditSigningKey(readFileSync(file, 'utf8'));
  if (!key) throw new ConfigValidationError([`AUDIT_SIGNING_KEY: ${file} ${AUDIT_KEY_FORMAT}`]);
  return key;
}
