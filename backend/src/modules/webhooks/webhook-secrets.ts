import { Injectable } from '@nestjs/common';
import { SealedSecret, SecretBox } from '../../common/security/secret-box';
import { AppConfig } from '../../config/app-config';
import type { SealedWebhookSecret } from './webhooks.repository';

/**
 * Seals and opens webhook signing secrets under the master key (`ENCRYPTION_KEY`, and during a
 * master key rotation `ENCRYPTION_KEY_PREVIOUS`), bound to the organization id.
 */
@Injectable()
export class WebhookSecrets {
  private readonly box: SecretBox;

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
  open(row: SealedWebhookSecret): string {
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
