import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SealedSecret, SecretBox } from './secret-box';

/** A stored sealed secret, as its table holds it (`provider_keys`, `webhook_secrets`). */
export interface SealedRow {
  organization_id: string;
  ciphertext: Buffer | Uint8Array;
  iv: Buffer | Uint8Array;
  auth_tag: Buffer | Uint8Array;
  key_version: number;
}

/**
 * The one way secrets are sealed at rest: AES-256-GCM under the master key (`ENCRYPTION_KEY`, and
 * during a rotation `ENCRYPTION_KEY_PREVIOUS`), with the organization id as additional
 * authenticated data, so a sealed secret copied into another organization's row does not open.
 * Every table holding such secrets is listed in `SEALED_TABLES` (master-key-rotation.ts).
 */
@Injectable()
export class MasterKey {
  readonly box: SecretBox;

  constructor(config: AppConfig) {
    this.box = new SecretBox(
      config.encryption.key,
      config.encryption.previous ? [config.encryption.previous] : [],
    );
  }

  seal(secret: string, organizationId: string): SealedSecret {
    return this.box.seal(secret, organizationId);
  }

  /** Throws a SecretBoxError (which never names the secret) when the row cannot be opened. */
  open(row: SealedRow): string {
    return this.box.open(
      {
        ciphertext: Buffer.from(row.ciphertext),
        iv: Buffer.from(row.iv),
        authTag: Buffer.from(row.auth_tag),
        keyVersion: row.key_version,
      },
      row.organization_id,
    );
  }
}
