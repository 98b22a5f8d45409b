import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { WITH_WORKERS } from '../../queue/workers';
import { MailService } from '../mail/mail.service';
import { SavedFilters } from './search-filters';
import { SearchService } from './search.service';

/** A subscription is due once this long after its last digest (a little under a day, so 07:00 daily works). */
const DUE_AFTER_MS = 20 * 3600_000;
const MAX_LISTED = 20;

interface DueRow {
  organization_id: string;
  saved_search_id: string;
  user_id: string;
  last_notified_at: string;
  name: string;
  query: string;
  filters: SavedFilters;
  email: string;
}

/**
 * The daily e-mail of new matches for subscribed saved searches. Each subscription is claimed
 * with a compare-and-set on `last_notified_at` in its own transaction (as its user, so private
 * prompts of others never appear), so several processes running the schedule send one mail.
 */
@Injectable()
export class SearchDigestService {
  private readonly logger = new Logger('SearchDigest');

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: TenantTransactions,
    private readonly search: SearchService,
    private readonly mail: MailService,
  ) {}

  /** Only processes that run the job processors run it (Workers.start); API processes with WORKERS=off do not. */
  @Cron('0 7 * * *', { name: 'search-digest', ...WITH_WORKERS })
  async scheduled(): Promise<void> {
    try {
      const sent = await this.run();
      this.logger.log(`search digest: ${sent} mails`);
    } catch (err) {
      this.logger.error({ err }, 'search digest failed; the next run picks up what is due');
    }
  }

  /** Sends every due digest; returns the number of mails sent. */
  async run(now = new Date()): Promise<number> {
    const due: DueRow[] = await this.transactions.run(
      { organizationId: null, userId: null, system: true },
      (em) =>
        em.query(
          `SELECT s.organization_id, s.saved_search_id, s.user_id, s.last_notified_at::text AS last_notified_at,
                  ss.name, ss.query, ss.filters, u.email
             FROM search_subscriptions s
             JOIN saved_searches ss ON ss.id = s.saved_search_id
             JOIN users u ON u.id = s.user_id
            WHERE s.last_notified_at <= $1
            ORDER BY s.organization_id, s.user_id`,
          [new Date(now.getTime() - DUE_AFTER_MS)],
        ),
    );
    let sent = 0;
    for (const row of due) {
      try {
        if (await this.digest(row, now)) sent++;
      } catch (err) {
        this.logger.warn({ err, savedSearchId: row.saved_search_id }, 'digest failed; retried next run');
      }
    }
    return sent;
  }

  private digest(row: DueRow, now: Date): Promise<boolean> {
    const scope = { organizationId: row.organization_id, userId: row.user_id };
    return this.transactions.run(scope, async (em) => {
      const [claimed]: [unknown[], number] = await em.query(
        `UPDATE search_subscriptions SET last_notified_at = $4
          WHERE saved_search_id = $1 AND user_id = $2 AND last_notified_at = $3::timestamptz RETURNING 1`,
        [row.saved_search_id, row.user_id, row.last_notified_at, now],
      );
      if (!claimed.length) return false; // another process sent this one
      // A subscriber who left the organization gets nothing (and keeps nothing: drop the subscription).
      const member: unknown[] = await em.query(
        `SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = $2`,
        [row.organization_id, row.user_id],
      );
      if (!member.length) {
        await em.query(`DELETE FROM search_subscriptions WHERE saved_search_id = $1 AND user_id = $2`, [
          row.saved_search_id,
          row.user_id,
        ]);
        return false;
      }
      const since = new Date(row.last_notified_at);
      const result = await this.search.search(
        scope,
        {
          q: row.query,
          filters: {
            ...row.filters,
            sort: 'created',
            createdFrom: since.toISOString(),
            createdTo: undefined,
          },
          limit: MAX_LISTED,
        },
        { record: false },
      );
      if (!result.total) return false;
      const lines = result.items.map((p) => `- ${p.title}\n  ${this.config.publicUrl}/prompts/${p.id}`);
      await this.mail.send({
        to: row.email,
        subject: `${result.total} new prompt${result.total === 1 ? '' : 's'} for "${row.name}"`,
        text:
          `New prompts match your saved search "${row.name}" since ${since.toUTCString()}:\n\n` +
          `${lines.join('\n')}\n` +
          (result.total > result.items.length ? `\n…and ${result.total - result.items.length} more.\n` : '') +
          `\nManage your saved searches in Prompt Vault: ${this.config.publicUrl}/search\n`,
      });
      return true;
    });
  }
}
