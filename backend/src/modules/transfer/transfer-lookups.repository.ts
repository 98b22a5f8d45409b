import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/**
 * Names of the organization's categories and collections (lower-cased) to ids: imports match a
 * file's `category` / `collection` by name, exports write names. Read-only; categories and
 * collections are created through their services.
 */
@Injectable()
export class TransferLookups {
  constructor(private readonly transactions: TenantTransactions) {}

  async categories(): Promise<Map<string, string>> {
    const rows: Array<{ id: string; name: string }> = await this.transactions.manager.query(
      `SELECT id, name FROM categories ORDER BY created_at, id`,
    );
    return new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  }

  /** Collections by name; of several with one name (in different parents), the oldest. */
  async collections(): Promise<Map<string, string>> {
    const rows: Array<{ id: string; name: string }> = await this.transactions.manager.query(
      `SELECT id, name FROM collections ORDER BY created_at DESC, id DESC`,
    );
    return new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  }
}
