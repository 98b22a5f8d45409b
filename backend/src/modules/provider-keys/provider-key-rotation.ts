import { Injectable } from '@nestjs/common';
import { SecretBoxError } from '../../common/security/secret-box';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { ProviderKeySecrets } from './provider-key-secrets';
import { ProviderKeysRepository } from './provider-keys.repository';

export interface RotationResult {
  /** Keys re-encrypted under the current master key. */
  rotated: number;
  /** The current master key's version, now on every row. */
  keyVersion: number;
}

export class RotationError extends Error {}

/**
 * `npm run keys:rotate`: re-encrypts every organization's provider keys that are not yet under the
 * current master key (`ENCRYPTION_KEY`), opening them with `ENCRYPTION_KEY_PREVIOUS`. One system
 * transaction with the rows locked: either every key moves to the new master key or none does.
 * Running it again finds nothing left to do.
 */
@Injectable()
export class ProviderKeyRotation {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly keys: ProviderKeysRepository,
    private readonly secrets: ProviderKeySecrets,
  ) {}

  rotate(): Promise<RotationResult> {
    const box = this.secrets.box;
    return this.transactions.run({ organizationId: null, userId: null, system: true }, async () => {
      const stale = await this.keys.staleForRotation(box.version);
      const unknown = stale.filter((r) => !box.knows(r.key_version));
      if (unknown.length) {
        const versions = [...new Set(unknown.map((r) => r.key_version))].join(', ');
        throw new RotationError(
          `${unknown.length} key(s) are encrypted under master key version(s) ${versions}, which is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS; nothing was changed`,
        );
      }
      for (const row of stale) {
        let secret: string;
        try {
          secret = this.secrets.open(row);
        } catch (err) {
          if (!(err instanceof SecretBoxError)) throw err;
          throw new RotationError(
            `Provider key ${row.id} does not decrypt with its master key (tampered or moved); nothing was changed`,
          );
        }
        await this.keys.reseal(row.id, this.secrets.seal(secret, row.organization_id));
      }
      return { rotated: stale.length, keyVersion: box.version };
    });
  }
}
