import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SealedSecret, SecretBox } from '../../common/security/secret-box';
import type { SealedKeyRow } from './provider-keys.repository';

/**
 * Seals and opens provider keys under the master key (`ENCRYPTION_KEY`, and during a rotation
 * `ENCRYPTION_KEY_PREVIOUS`). The organization id is the additional authenticated data: a sealed
 * key copied into another organization's row does not open there.
 */
@Injectable()
export class ProviderKeySecrets {
  readonly box: SecretBox;

  constructor(config: AppConfig) {
    this.box = new SecretBox(
      config.encryption.key,
      config.encryption.previous ? [config.encryption.previous] : [],
    );
  }

  seal(apiKey: string, organizationId: string): SealedSecret {
    return this.box.seal(apiKey, organizationId);
  }

  /** Throws a SecretBoxError (which never names the key) when the row cannot be opened. */
  open(row: SealedKeyRow): string {
    return this.box.open(
      { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyVersion: row.key_version },
      row.organization_id,
    );
  }
}
