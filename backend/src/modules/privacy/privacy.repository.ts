import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OWNER_ROLE } from '../../authz/roles';
import type { Role } from '../../common/context/request-context';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

export interface AccountRow {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  email_verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
}
export interface MembershipRow {
  organization_id: string;
  name: string;
  slug: string;
  role: Role;
  created_at: Date;
}
export interface SessionRow {
  family_id: string;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  organization_scope: string | null;
}
/** An organization of the user with what erasure needs to know about it. */
export interface OrganizationStanding {
  role: Role;
  members: number;
  owners: number;
}

/**
 * The SQL of personal data export and erasure. It reads and changes rows of several aggregates,
 * always narrowed to one user (`user_id`, `author_id`, …), in the transaction the service opened:
 * the account's own scope for the account rows, each organization's tenant scope for its rows.
 */
@Injectable()
export class PrivacyRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async account(userId: string): Promise<AccountRow | null> {
    const [row]: AccountRow[] = await this.em.query(
      `SELECT id, email, name, password_hash, email_verified_at, created_at, updated_at FROM users WHERE id = $1`,
      [userId],
    );
    return row ?? null;
  }

  memberships(userId: string): Promise<MembershipRow[]> {
    return this.em.query(
      `SELECT m.organization_id, o.name, o.slug, m.role, m.created_at
         FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = $1 ORDER BY o.name, o.id`,
      [userId],
    );
  }

  /** Sessions (refresh-token families) with their first and latest token. */
  sessions(userId: string): Promise<SessionRow[]> {
    return this.em.query(
      `SELECT family_id, min(created_at) AS created_at, max(created_at) AS last_used_at,
              max(expires_at) AS expires_at,
              CASE WHEN bool_and(revoked_at IS NOT NULL) THEN max(revoked_at) END AS revoked_at,
              max(organization_scope::text) AS organization_scope
         FROM refresh_tokens WHERE user_id = $1
        GROUP BY family_id ORDER BY min(created_at)`,
      [userId],
    );
  }

  /** When the session (refresh-token family) was signed in, or null if it is not the user's. */
  async sessionStartedAt(userId: string, sessionId: string): Promise<Date | null> {
    const [row]: Array<{ started: Date | null }> = await this.em.query(
      `SELECT min(created_at) AS started FROM refresh_tokens WHERE user_id = $1 AND family_id = $2`,
      [userId, sessionId],
    );
    return row?.started ?? null;
  }

  /** In the organization's tenant scope: the user's role and how many members and OWNERs it has. */
  async standing(organizationId: string, userId: string): Promise<OrganizationStanding | null> {
    const [row]: Array<{ role: Role | null; members: string; owners: string }> = await this.em.query(
      `SELECT (SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2) AS role,
              count(*) AS members, count(*) FILTER (WHERE role = $3) AS owners
         FROM memberships WHERE organization_id = $1`,
      [organizationId, userId, OWNER_ROLE],
    );
    if (!row?.role) return null;
    return { role: row.role, members: Number(row.members), owners: Number(row.owners) };
  }

  /** Tenant scope: the user's content in the organization. */
  async content(organizationId: string, userId: string) {
    const q = <T>(sql: string): Promise<T[]> => this.em.query(sql, [organizationId, userId]);
    // One after the other: they share the request's one connection.
    const prompts = await q<Record<string, unknown>>(
      `SELECT id, slug, title, description, content, variables, metadata, status, visibility, version,
                created_at, updated_at
           FROM prompts WHERE organization_id = $1 AND author_id = $2 ORDER BY created_at, id`,
    );
    const versions = await q<Record<string, unknown>>(
      `SELECT prompt_id, version, title, description, content, change_note, created_at
           FROM prompt_versions WHERE organization_id = $1 AND changed_by = $2 ORDER BY created_at, prompt_id, version`,
    );
    const comments = await q<Record<string, unknown>>(
      `SELECT id, prompt_id, parent_id, content, created_at, updated_at, deleted_at
           FROM comments WHERE organization_id = $1 AND author_id = $2 ORDER BY created_at, id`,
    );
    const favorites = await q<Record<string, unknown>>(
      `SELECT prompt_id, created_at FROM favorites WHERE organization_id = $1 AND user_id = $2 ORDER BY created_at`,
    );
    const savedSearches = await q<Record<string, unknown>>(
      `SELECT id, name, query, filters, shared, created_at, updated_at
           FROM saved_searches WHERE organization_id = $1 AND user_id = $2 ORDER BY created_at, id`,
    );
    const apiKeys = await q<Record<string, unknown>>(
      `SELECT id, name, prefix, created_at, expires_at, revoked_at, last_used_at
           FROM api_keys WHERE organization_id = $1 AND user_id = $2 ORDER BY created_at, id`,
    );
    return { prompts, versions, comments, favorites, savedSearches, apiKeys };
  }

  /** Tenant scope: ids of the user's API keys in the organization (revoked ones too). */
  async apiKeyIds(organizationId: string, userId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.em.query(
      `SELECT id FROM api_keys WHERE organization_id = $1 AND user_id = $2`,
      [organizationId, userId],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Tenant scope: ends the user's presence in the organization. Their API keys are revoked, their
   * favorites (with the prompts' counts), saved searches, subscriptions and recent searches go,
   * and the membership last. Prompts, versions and comments stay with the organization.
   */
  async leave(organizationId: string, userId: string): Promise<void> {
    const em = this.em;
    const params = [organizationId, userId];
    await em.query(
      `UPDATE api_keys SET revoked_at = now() WHERE organization_id = $1 AND user_id = $2 AND revoked_at IS NULL`,
      params,
    );
    const favorites: Array<{ prompt_id: string }> = await em.query(
      `SELECT prompt_id FROM favorites WHERE organization_id = $1 AND user_id = $2`,
      params,
    );
    await em.query(`DELETE FROM favorites WHERE organization_id = $1 AND user_id = $2`, params);
    if (favorites.length)
      await em.query(
        `UPDATE prompts p SET favorites = (SELECT count(*) FROM favorites f WHERE f.prompt_id = p.id)
          WHERE p.organization_id = $1 AND p.id = ANY ($2::uuid[])`,
        [organizationId, favorites.map((f) => f.prompt_id)],
      );
    await em.query(`DELETE FROM search_subscriptions WHERE organization_id = $1 AND user_id = $2`, params);
    await em.query(`DELETE FROM saved_searches WHERE organization_id = $1 AND user_id = $2`, params);
    await em.query(`DELETE FROM recent_searches WHERE organization_id = $1 AND user_id = $2`, params);
    await em.query(`DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2`, params);
  }

  /**
   * Account scope: turns the account into its tombstone. The row stays (prompts, versions and
   * comments keep pointing at it) as "Deleted user" with an address nobody can own and no
   * password; unused e-mail links are spent. Sign-in is impossible afterwards.
   */
  async tombstone(userId: string, tombstoneEmail: string): Promise<void> {
    await this.em.query(
      `UPDATE users SET email = $2, name = 'Deleted user', password_hash = NULL, email_verified_at = NULL,
                        updated_at = now()
        WHERE id = $1`,
      [userId, tombstoneEmail],
    );
    await this.em.query(`UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [
      userId,
    ]);
  }
}
