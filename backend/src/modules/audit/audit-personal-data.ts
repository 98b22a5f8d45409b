import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/**
 * The GDPR side of the audit trail (docs/compliance.md#gdpr): erasing a user's personal data from
 * an organization's events, and finding the organizations that still hold some of it.
 */
@Injectable()
export class AuditPersonalData {
  constructor(private readonly transactions: TenantTransactions) {}

  /**
   * Erases the personal data (e-mail, IP, user agent and the salt of their commitment) of every
   * event of the current organization whose actor is `userId` (or one of their API keys). The
   * chain still verifies: only the commitment is hashed. The database function refuses while
   * `userId` is a member of the organization. Returns how many events lost personal data.
   */
  async erasePersonal(userId: string): Promise<number> {
    const [row]: Array<{ erased: string }> = await this.transactions.manager.query(
      `SELECT app_audit_erase_personal($1) AS erased`,
      [userId],
    );
    return Number(row.erased);
  }

  /**
   * The organizations holding personal audit data of the transaction's own user (`app.user_id`),
   * members or not: the organizations their erasure must visit.
   */
  async organizationsWithOwnPersonalData(): Promise<string[]> {
    const rows: Array<{ organization_id: string }> = await this.transactions.manager.query(
      // audit_event_personal_own_read: a user reads their own rows in every organization.
      `SELECT DISTINCT organization_id FROM audit_event_personal WHERE subject_id = app_user_id()`,
    );
    return rows.map((r) => r.organization_id);
  }
}
