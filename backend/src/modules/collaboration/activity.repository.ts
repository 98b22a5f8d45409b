import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { TenantUser } from '../prompts/prompt.model';

/** The audit action families the feed shows (sign-ins, members, keys… belong to the audit log). */
export const ACTIVITY_FAMILIES = ['prompt', 'comment', 'collection', 'tag', 'category'] as const;
export type ActivityFamily = (typeof ACTIVITY_FAMILIES)[number];

/** What the feed may be narrowed to (all optional). */
export interface ActivityFilter {
  promptId?: string;
  /** The acting user (directly or through one of their API keys). */
  actorId?: string;
  type?: ActivityFamily;
}

/** One audit event with what the feed shows of it: prompt title (or a deleted one's), target name, actor. */
export interface ActivityRow {
  id: string;
  seq: string;
  occurred_at: Date;
  actor_type: string;
  action: string;
  target_type: string;
  target_id: string | null;
  changes: Record<string, unknown> | null;
  prompt_id: string | null;
  prompt_title: string | null;
  deleted_title: string | null;
  deleted_slug: string | null;
  target_name: string | null;
  user_id: string | null;
  user_name: string | null;
  user_email: string | null;
  actor_email: string | null;
}

/**
 * The activity feed's one statement over the audit trail. The prompt joins run under row-level
 * security, so a private prompt of someone else never matches.
 */
@Injectable()
export class ActivityRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /** Newest first, before `beforeSeq`, narrowed by `filter`; one row more than `limit`. */
  page(who: TenantUser, limit: number, filter: ActivityFilter, beforeSeq?: number): Promise<ActivityRow[]> {
    const { promptId, actorId, type } = filter;
    const params: unknown[] = [
      who.organizationId,
      who.userId,
      limit + 1,
      (type ? [type] : ACTIVITY_FAMILIES).map((f) => `${f}.%`),
    ];
    const where: string[] = [];
    if (actorId) where.push(`u.id = $${params.push(actorId)}::uuid`);
    if (promptId) {
      // Spelled out (not via x.prompt_id) so the target index and audit_events_org_prompt_idx serve it.
      const p = `$${params.push(promptId)}::text`;
      where.push(
        `((e.target_type = 'prompt' AND e.target_id = ${p}) OR (e.target_type <> 'prompt' AND e.changes->>'promptId' = ${p}))`,
      );
    }
    if (beforeSeq !== undefined) where.push(`e.seq < $${params.push(beforeSeq)}`);
    return this.em.query<ActivityRow[]>(
      `SELECT e.id, e.seq, e.occurred_at, e.actor_type,
              coalesce(e.actor_email, (SELECT ap.actor_email FROM audit_event_personal ap WHERE ap.event_id = e.id)) AS actor_email,
              e.action, e.target_type, e.target_id,
              e.changes, x.prompt_id, p.title AS prompt_title,
              del.changes->>'title' AS deleted_title, del.changes->>'slug' AS deleted_slug,
              coalesce(col.name, tg.name, cat.name) AS target_name,
              u.id AS user_id, u.name AS user_name, u.email AS user_email
         FROM audit_events e
         CROSS JOIN LATERAL (
           SELECT CASE WHEN e.target_type = 'prompt' THEN e.target_id ELSE e.changes->>'promptId' END AS prompt_text
         ) t
         CROSS JOIN LATERAL (
           SELECT CASE WHEN t.prompt_text ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                       THEN t.prompt_text::uuid END AS prompt_id
         ) x
         LEFT JOIN prompts p ON p.id = x.prompt_id
         LEFT JOIN LATERAL (
           SELECT d.changes, o.payload FROM audit_events d
             LEFT JOIN LATERAL (
               SELECT o.payload FROM outbox_events o
                WHERE o.organization_id = $1 AND o.type = 'prompt.deleted' AND o.aggregate_id = d.target_id
                LIMIT 1
             ) o ON true
            WHERE p.id IS NULL AND x.prompt_id IS NOT NULL
              AND d.organization_id = $1 AND d.action = 'prompt.deleted'
              AND d.target_type = 'prompt' AND d.target_id = t.prompt_text
            ORDER BY d.seq DESC LIMIT 1
         ) del ON true
         LEFT JOIN collections col ON e.target_type = 'collection' AND col.id::text = e.target_id
         LEFT JOIN tags tg ON e.target_type = 'tag' AND tg.id::text = e.target_id
         LEFT JOIN categories cat ON e.target_type = 'category' AND cat.id::text = e.target_id
         LEFT JOIN api_keys k ON e.actor_type = 'api_key' AND k.id = e.actor_id
         LEFT JOIN users u ON u.id = CASE WHEN e.actor_type = 'api_key' THEN k.user_id ELSE e.actor_id END
        WHERE e.organization_id = $1
          AND e.action LIKE ANY($4::text[])
          AND (
            x.prompt_id IS NULL
            OR p.id IS NOT NULL
            OR (del.changes IS NOT NULL AND (
                 coalesce(del.changes->>'visibility', del.payload->>'visibility') = 'organization'
                 OR coalesce(del.changes->>'authorId', del.payload->>'authorId') = $2::text))
          )
          ${where.map((w) => `AND ${w}`).join(' ')}
        ORDER BY e.seq DESC
        LIMIT $3`,
      params,
    );
  }
}
