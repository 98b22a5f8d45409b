import { createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

/** A signed object as it appears in an export line: the object and the base64 Ed25519 signature. */
export interface Signed<T> {
  value: T;
  /** base64 Ed25519 signature of the UTF-8 bytes of `JSON.stringify(value)`. */
  signature: string;
}

/**
 * Signs audit export manifests and retention checkpoints with AUDIT_SIGNING_KEY (Ed25519). What is
 * signed is exactly `JSON.stringify(value)` with the key order the caller built, so a verifier
 * signs nothing of its own: it takes the object's text as serialized in the line.
 */
@Injectable()
export class AuditSigner {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** The public key, SPKI PEM (`GET /audit-events/public-key`). */
  readonly publicKeyPem: string;

  constructor(config: AppConfig) {
    this.privateKey = createPrivateKey(config.auditSigningKey);
    this.publicKey = createPublicKey(this.privateKey);
    this.publicKeyPem = this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  sign<T>(value: T): Signed<T> {
    return { value, signature: this.signText(JSON.stringify(value)) };
  }

  signText(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.privateKey).toString('base64');
  }

  verifyText(text: string, signature: string): boolean {
    try {
      return verify(null, Buffer.from(text, 'utf8'), this.publicKey, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  }
}
