import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { returned } from '../../database/returned-rows';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A row of `webhook_deliveries` (`seq` as text: a bigint). */
export interface DeliveryRow {
  id: string;
  seq: string;
  organization_id: string;
  webhook_id: string;
  event_id: string;
  type: string;
  order_key: string | null;
  body: string;
  redelivery_of: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  retry_until: Date;
  last_attempt_at: Date | null;
  response_status: number | null;
  duration_ms: number | null;
  response_excerpt: string | null;
  last_error: string | null;
  created_at: Date;
}

const NAMES = [
  'id',
  'organization_id',
  'webhook_id',
  'event_id',
  'type',
  'order_key',
  'body',
  'redelivery_of',
  'status',
  'attempts',
  'next_attempt_at',
  'retry_until',
  'last_attempt_at',
  'response_status',
  'duration_ms',
  'response_excerpt',
  'last_error',
  'created_at',
];
/** The select list of a DeliveryRow, qualified by `alias` when given. */
const columns = (alias = '') => [`${alias}seq::text AS seq`, ...NAMES.map((n) => `${alias}${n}`)].join(', ');
const COLUMNS = columns();

/**
 * A pending delivery may go only when no earlier pending delivery of the same endpoint has the
 * same order key (`d` is the candidate).
 */
const FIRST_IN_LINE = `NOT EXISTS (
  SELECT 1 FROM webhook_deliveries e
   WHERE e.webhook_id = d.webhook_id AND e.order_key = d.order_key AND e.status = 'pending' AND e.seq < d.seq)`;

export interface NewDelivery {
  organizationId: string;
  webhookId: string;
  eventId: string;
  type: string;
  orderKey: string | null;
  body: string;
  retryWindowMs: number;
  redeliveryOf?: string | null;
}

export interface AttemptOutcome {
  responseStatus: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

/** Deliveries of webhook endpoints: creation, the attempt lifecycle, the log. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /**
   * Creates a delivery; a first delivery of an event that already has one for the endpoint (the
   * outbox delivers at least once) creates nothing and returns undefined.
   */
  async insert(d: NewDelivery): Promise<string | undefined> {
    const [row] = await this.em.query<Array<{ id: string }>>(
      `INSERT INTO webhook_deliveries
         (organization_id, webhook_id, event_id, type, order_key, body, redelivery_of, retry_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, clock_timestamp() + make_interval(secs => $8))
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        d.organizationId,
        d.webhookId,
        d.eventId,
        d.type,
        d.orderKey,
        d.body,
        d.redeliveryOf ?? null,
        d.retryWindowMs / 1000,
      ],
    );
    return row?.id;
  }

  async find(organizationId: string, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
    const [row] = await this.em.query<DeliveryRow[]>(
      `SELECT ${COLUMNS} FROM webhook_deliveries WHERE organization_id = $1 AND webhook_id = $2 AND id = $3`,
      [organizationId, webhookId, id],
    );
    return row;
  }

  /** Newest first; `beforeSeq` is the keyset cursor (the last `seq` of the previous page). */
  list(organizationId: string, webhookId: string, limit: number, beforeSeq?: string): Promise<DeliveryRow[]> {
    return this.em.query<DeliveryRow[]>(
      `SELECT ${COLUMNS} FROM webhook_deliveries
        WHERE organization_id = $1 AND webhook_id = $2 AND ($3::bigint IS NULL OR seq < $3::bigint)
        ORDER BY seq DESC LIMIT $4`,
      [organizationId, webhookId, beforeSeq ?? null, limit],
    );
  }

  /**
   * Takes a due delivery for one attempt: counts the attempt and pushes `next_attempt_at` out by
   * `leaseMs`, so no other worker takes it meanwhile and a crashed worker's attempt is made again
   * once the lease is over. Undefined when it is not due, not pending, or waits for an earlier one.
   */
  async claim(organizationId: string, id: string, leaseMs: number): Promise<DeliveryRow | undefined> {
    const [row] = returned<DeliveryRow>(
      await this.em.query(
        `UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, last_attempt_at = clock_timestamp(),
              next_attempt_at = clock_timestamp() + make_interval(secs => $3)
        WHERE d.organization_id = $1 AND d.id = $2 AND d.status = 'pending'
          AND d.next_attempt_at <= clock_timestamp() AND ${FIRST_IN_LINE}
        RETURNING ${columns('d.')}`,
        [organizationId, id, leaseMs / 1000],
      ),
    );
    return row;
  }

  async delivered(organizationId: string, id: string, outcome: AttemptOutcome): Promise<void> {
    await this.em.query(
      `UPDATE webhook_deliveries SET status = 'delivered', response_status = $3, duration_ms = $4,
              response_excerpt = $5, last_error = NULL
        WHERE organization_id = $1 AND id = $2`,
      [organizationId, id, outcome.responseStatus, outcome.durationMs, outcome.responseExcerpt],
    );
  }

  /**
   * Records a failed attempt: the delivery is tried again after `retryInMs` unless that is past its
   * retry window, then it is failed. Returns the resulting status.
   */
  async attemptFailed(
    organizationId: string,
    id: string,
    outcome: AttemptOutcome,
    retryInMs: number | null,
  ): Promise<DeliveryStatus> {
    const [row] = returned<{ status: DeliveryStatus }>(
      await this.em.query(
        `UPDATE webhook_deliveries SET
          status = CASE WHEN $6::float8 IS NULL
                          OR clock_timestamp() + make_interval(secs => $6::float8) > retry_until
                        THEN 'failed' ELSE 'pending' END,
          next_attempt_at = CASE WHEN $6::float8 IS NULL THEN next_attempt_at
                                 ELSE clock_timestamp() + make_interval(secs => $6::float8) END,
          response_status = $3, duration_ms = $4, response_excerpt = $5, last_error = $7
        WHERE organization_id = $1 AND id = $2
        RETURNING status`,
        [
          organizationId,
          id,
          outcome.responseStatus,
          outcome.durationMs,
          outcome.responseExcerpt,
          retryInMs === null ? null : retryInMs / 1000,
          outcome.error,
        ],
      ),
    );
    return row?.status ?? 'failed';
  }

  /** The pending delivery that now heads the line of this endpoint and order key, if due. */
  async nextInLine(organizationId: string, webhookId: string, orderKey: string): Promise<string | undefined> {
    const [row] = await this.em.query<Array<{ id: string }>>(
      `SELECT d.id FROM webhook_deliveries d
        WHERE d.organization_id = $1 AND d.webhook_id = $2 AND d.order_key = $3 AND d.status = 'pending'
          AND d.next_attempt_at <= clock_timestamp()
        ORDER BY d.seq LIMIT 1`,
      [organizationId, webhookId, orderKey],
    );
    return row?.id;
  }

  /**
   * Due deliveries of every organization that are first in their line, oldest due first. Needs a
   * system transaction (the policy admits `app_is_system()`).
   */
  due(limit: number): Promise<Array<{ organization_id: string; id: string }>> {
    return this.em.query(
      `SELECT d.organization_id, d.id FROM webhook_deliveries d
        WHERE d.status = 'pending' AND d.next_attempt_at <= clock_timestamp() AND ${FIRST_IN_LINE}
        ORDER BY d.next_attempt_at LIMIT $1`,
      [limit],
    );
  }
}
