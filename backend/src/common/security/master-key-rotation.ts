import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { MasterKey, SealedRow } from './master-key';
import { SecretBoxError } from './secret-box';
import { CommandError } from '../cli/command-error';

/**
 * Every table whose rows hold a secret sealed with `MasterKey` (columns `id`, `organization_id`,
 * `ciphertext`, `iv`, `auth_tag`, `key_version`; visible in a system transaction). A new table of
 * sealed secrets is added here, or `npm run keys:rotate` leaves it behind.
 */
export const SEALED_TABLES = ['provider_keys', 'webhook_secrets'] as const;
export type SealedTable = (typeof SEALED_TABLES)[number];

export interface RotationResult {
  /** Secrets re-encrypted under the current master key, in all tables. */
  rotated: number;
  byTable: Record<SealedTable, number>;
  /** The current master key's version, now on every row. */
  keyVersion: number;
}

/** A rotation that cannot be done as asked (the command prints it and exits 1). */
export class RotationError extends CommandError {}

type StaleRow = SealedRow & { id: string };

/**
 * `npm run keys:rotate`: re-encrypts every sealed secret (provider keys, webhook signing secrets)
 * that is not yet under the current master key (`ENCRYPTION_KEY`), opening it with
 * `ENCRYPTION_KEY_PREVIOUS`. One system transaction with the rows locked: either every secret
 * moves to the new master key or none does. Running it again finds nothing left to do.
 */
@Injectable()
export class MasterKeyRotation {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly masterKey: MasterKey,
  ) {}

  rotate(): Promise<RotationResult> {
    const box = this.masterKey.box;
    return this.transactions.run({ organizationId: null, userId: null, system: true }, async (em) => {
      const stale = new Map<SealedTable, StaleRow[]>();
      for (const table of SEALED_TABLES) {
        stale.set(
          table,
          await em.query<StaleRow[]>(
            `SELECT id, organization_id, ciphertext, iv, auth_tag, key_version
               FROM ${table} WHERE key_version <> $1 ORDER BY id FOR UPDATE`,
            [box.version],
          ),
        );
      }
      const all = [...stale.entries()].flatMap(([table, rows]) => rows.map((row) => ({ table, row })));
      const unknown = all.filter(({ row }) => !box.knows(row.key_version));
      if (unknown.length) {
        const versions = [...new Set(unknown.map(({ row }) => row.key_version))].join(', ');
        throw new RotationError(
          `${unknown.length} secret(s) are encrypted under master key version(s) ${versions}, which is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS; nothing was changed`,
        );
      }
      for (const { table, row } of all) {
        let secret: string;
        try {
          secret = this.masterKey.open(row);
        } catch (err) {
          if (!(err instanceof SecretBoxError)) throw err;
          throw new RotationError(
            `${table} row ${row.id} does not decrypt with its master key (tampered or moved); nothing was changed`,
          );
        }
        const sealed = this.masterKey.seal(secret, row.organization_id);
        await em.query(
          `UPDATE ${table} SET ciphertext = $2, iv = $3, auth_tag = $4, key_version = $5 WHERE id = $1`,
          [row.id, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyVersion],
        );
      }
      const byTable = Object.fromEntries(SEALED_TABLES.map((t) => [t, stale.get(t)!.length])) as Record<
        SealedTable,
        number
      >;
      return { rotated: all.length, byTable, keyVersion: box.version };
    });
  }
}
