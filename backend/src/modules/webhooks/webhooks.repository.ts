import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { returned } from '../../database/returned-rows';

/** A row of `webhooks` (events read as JSON so both drivers return an array). */
export interface WebhookRow {
  id: string;
  organization_id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabled_reason: 'failing' | null;
  failing_since: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A sealed signing secret of an endpoint. */
export interface SealedWebhookSecret {
  id: string;
  organization_id: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  key_version: number;
  expires_at: Date | null;
}

const COLUMNS = `id, organization_id, url, description, to_jsonb(events) AS events, enabled, disabled_reason,
  failing_since, created_by, created_at, updated_at`;

export interface WebhookChange {
  url?: string;
  description?: string | null;
  events?: string[];
  enabled?: boolean;
}

/** Webhook endpoints and their sealed secrets (the deliveries are `WebhookDeliveriesRepository`'s). */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  all(organizationId: string): Promise<WebhookRow[]> {
    return this.em.query<WebhookRow[]>(
      `SELECT ${COLUMNS} FROM webhooks WHERE organization_id = $1 ORDER BY created_at, id`,
      [organizationId],
    );
  }

  async find(organizationId: string, id: string, lock = false): Promise<WebhookRow | undefined> {
    const [row] = await this.em.query<WebhookRow[]>(
      `SELECT ${COLUMNS} FROM webhooks WHERE organization_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [organizationId, id],
    );
    return row;
  }

  /** Enabled endpoints of the organization subscribed to `type`. */
  subscribedTo(organizationId: string, type: string): Promise<WebhookRow[]> {
    return this.em.query<WebhookRow[]>(
      `SELECT ${COLUMNS} FROM webhooks
        WHERE organization_id = $1 AND enabled AND $2 = ANY (events) ORDER BY created_at, id`,
      [organizationId, type],
    );
  }

  async insert(values: {
    organizationId: string;
    url: string;
    description: string | null;
    events: string[];
    enabled: boolean;
    createdBy: string;
  }): Promise<string> {
    const [row] = await this.em.query<Array<{ id: string }>>(
      `INSERT INTO webhooks (organization_id, url, description, events, enabled, created_by)
       VALUES ($1, $2, $3, $4::text[], $5, $6) RETURNING id`,
      [
        values.organizationId,
        values.url,
        values.description,
        values.events,
        values.enabled,
        values.createdBy,
      ],
    );
    return row.id;
  }

  /** Applies the change; enabling an endpoint also clears why it was disabled and its failure run. */
  async update(organizationId: string, id: string, change: WebhookChange): Promise<void> {
    await this.em.query(
      `UPDATE webhooks SET
          url = coalesce($3, url),
          description = CASE WHEN $4 THEN $5 ELSE description END,
          events = coalesce($6::text[], events),
          enabled = coalesce($7, enabled),
          disabled_reason = CASE WHEN $7 IS TRUE THEN NULL ELSE disabled_reason END,
          failing_since = CASE WHEN $7 IS TRUE THEN NULL ELSE failing_since END,
          updated_at = now()
        WHERE organization_id = $1 AND id = $2`,
      [
        organizationId,
        id,
        change.url ?? null,
        change.description !== undefined,
        change.description ?? null,
        change.events ?? null,
        change.enabled ?? null,
      ],
    );
  }

  async delete(organizationId: string, id: string): Promise<void> {
    await this.em.query(`DELETE FROM webhooks WHERE organization_id = $1 AND id = $2`, [organizationId, id]);
  }

  async insertSecret(
    organizationId: string,
    webhookId: string,
    sealed: { ciphertext: Buffer; iv: Buffer; authTag: Buffer; keyVersion: number },
  ): Promise<void> {
    await this.em.query(
      `INSERT INTO webhook_secrets (organization_id, webhook_id, ciphertext, iv, auth_tag, key_version)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [organizationId, webhookId, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyVersion],
    );
  }

  /**
   * Starts a rotation's overlap: the secrets still signing without an end get one `overlapMs` from
   * now; secrets whose overlap is over are deleted.
   */
  async expireSecrets(organizationId: string, webhookId: string, overlapMs: number): Promise<void> {
    await this.em.query(
      `DELETE FROM webhook_secrets
        WHERE organization_id = $1 AND webhook_id = $2 AND expires_at <= clock_timestamp()`,
      [organizationId, webhookId],
    );
    await this.em.query(
      `UPDATE webhook_secrets SET expires_at = clock_timestamp() + make_interval(secs => $3)
        WHERE organization_id = $1 AND webhook_id = $2 AND expires_at IS NULL`,
      [organizationId, webhookId, overlapMs / 1000],
    );
  }

  /** The secrets that sign now (the current one and any still in a rotation's overlap), newest first. */
  activeSecrets(organizationId: string, webhookId: string): Promise<SealedWebhookSecret[]> {
    return this.em.query<SealedWebhookSecret[]>(
      `SELECT id, organization_id, ciphertext, iv, auth_tag, key_version, expires_at
         FROM webhook_secrets
        WHERE organization_id = $1 AND webhook_id = $2
          AND (expires_at IS NULL OR expires_at > clock_timestamp())
        ORDER BY created_at DESC, id`,
      [organizationId, webhookId],
    );
  }

  /** A success ends the endpoint's run of failures. */
  async clearFailing(organizationId: string, id: string): Promise<void> {
    await this.em.query(
      `UPDATE webhooks SET failing_since = NULL WHERE organization_id = $1 AND id = $2 AND failing_since IS NOT NULL`,
      [organizationId, id],
    );
  }

  /**
   * Records a failure; disables the endpoint when its failures began at least `disableAfterMs`
   * ago. Returns whether this call disabled it (exactly one caller does).
   */
  async recordFailure(organizationId: string, id: string, disableAfterMs: number): Promise<boolean> {
    // The first statement locks the row: concurrent failures of one endpoint take turns, and the
    // one that comes second sees it disabled already.
    const [row] = returned<{ enabled: boolean; overdue: boolean }>(
      await this.em.query(
        `UPDATE webhooks SET failing_since = coalesce(failing_since, clock_timestamp())
        WHERE organization_id = $1 AND id = $2
        RETURNING enabled, failing_since <= clock_timestamp() - make_interval(secs => $3) AS overdue`,
        [organizationId, id, disableAfterMs / 1000],
      ),
    );
    if (!row?.enabled || !row.overdue) return false;
    await this.em.query(
      `UPDATE webhooks SET enabled = false, disabled_reason = 'failing', updated_at = now()
        WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    );
    return true;
  }

  /**
   * Whether the prompt is visible to the organization as a whole (not private). Read under the
   * caller's RLS scope: the outbox drain runs without a user, so private prompts are not found.
   */
  async promptIsShared(organizationId: string, promptId: string): Promise<boolean> {
    const rows = await this.em.query<unknown[]>(
      `SELECT 1 FROM prompts WHERE organization_id = $1 AND id = $2 AND visibility = 'organization'`,
      [organizationId, promptId],
    );
    return rows.length > 0;
  }
}
