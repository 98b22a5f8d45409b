import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../../database/tenancy/tenant-transactions';

/**
 * The ids of the Stripe events applied (`stripe_events`), so each is applied once. Readable and
 * writable only in a system transaction (the webhook's); the claim commits or rolls back with
 * the event's effects.
 */
@Injectable()
export class StripeEventsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  /**
   * Records the event; false when it was recorded before (a replay, or a concurrent delivery that
   * committed first: the insert waits for it and then conflicts).
   */
  async claim(id: string, type: string, organizationId: string | null): Promise<boolean> {
    const rows: unknown[] = await this.transactions.manager.query(
      `INSERT INTO stripe_events (id, type, organization_id) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, type, organizationId],
    );
    return rows.length === 1;
  }
}
