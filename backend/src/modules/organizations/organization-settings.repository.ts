import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { NonOwnerRole } from '../../authz/roles';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/** `organization_settings` as the database returns it (migration 1764000000000). */
export interface OrganizationSettingsRow {
  organization_id: string;
  default_role: NonOwnerRole;
  allowed_email_domains: string[];
  members_may_export: boolean;
  viewers_may_run: boolean;
  session_ttl_minutes: number | null;
  require_test_run_for_production: boolean;
  updated_at: Date;
}

export type OrganizationSettingsValues = Omit<OrganizationSettingsRow, 'organization_id' | 'updated_at'>;

/** The SQL of organization settings; runs in the current (tenant) transaction, under RLS. */
@Injectable()
export class OrganizationSettingsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async find(organizationId: string): Promise<OrganizationSettingsRow | null> {
    const rows: OrganizationSettingsRow[] = await this.em.query(
      `SELECT organization_id, default_role, allowed_email_domains, members_may_export, viewers_may_run,
              session_ttl_minutes, require_test_run_for_production, updated_at
         FROM organization_settings WHERE organization_id = $1`,
      [organizationId],
    );
    return rows[0] ?? null;
  }

  async save(organizationId: string, values: OrganizationSettingsValues): Promise<OrganizationSettingsRow> {
    const [row]: OrganizationSettingsRow[] = await this.em.query(
      `INSERT INTO organization_settings (organization_id, default_role, allowed_email_domains, members_may_export,
                                          viewers_may_run, session_ttl_minutes, require_test_run_for_production)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (organization_id) DO UPDATE SET
         default_role = EXCLUDED.default_role,
         allowed_email_domains = EXCLUDED.allowed_email_domains,
         members_may_export = EXCLUDED.members_may_export,
         viewers_may_run = EXCLUDED.viewers_may_run,
         session_ttl_minutes = EXCLUDED.session_ttl_minutes,
         require_test_run_for_production = EXCLUDED.require_test_run_for_production,
         updated_at = now()
       RETURNING organization_id, default_role, allowed_email_domains, members_may_export, viewers_may_run,
                 session_ttl_minutes, require_test_run_for_production, updated_at`,
      [
        organizationId,
        values.default_role,
        values.allowed_email_domains,
        values.members_may_export,
        values.viewers_may_run,
        values.session_ttl_minutes,
        values.require_test_run_for_production,
      ],
    );
    return row;
  }

  /**
   * The shortest session lifetime (minutes) among the organizations a session may act in: the one
   * it is scoped to, or every organization of the user. Null when none sets one. Runs for the user
   * without an organization (policy `organization_settings_member_read`, migration 1764000700000).
   */
  async sessionTtlMinutes(userId: string, organizationScope: string | null): Promise<number | null> {
    const [row]: Array<{ ttl: number | null }> = await this.em.query(
      `SELECT min(s.session_ttl_minutes)::int AS ttl
         FROM organization_settings s
         JOIN memberships m ON m.organization_id = s.organization_id AND m.user_id = $1
        WHERE s.session_ttl_minutes IS NOT NULL AND ($2::uuid IS NULL OR s.organization_id = $2::uuid)`,
      [userId, organizationScope],
    );
    return row?.ttl ?? null;
  }
}
