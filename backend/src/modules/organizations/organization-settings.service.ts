import { Injectable } from '@nestjs/common';
import { DEFAULT_INVITE_ROLE } from '../../authz/roles';
import { AuditService } from '../audit/audit.service';
import {
  OrganizationSettingsResponseDto,
  UpdateOrganizationSettingsDto,
} from './dto/organization-settings.dto';
import {
  OrganizationSettingsRepository,
  OrganizationSettingsRow,
  OrganizationSettingsValues,
} from './organization-settings.repository';

/** An organization's settings as the rest of the code reads them. */
export type OrganizationSettings = Omit<OrganizationSettingsResponseDto, 'updatedAt'>;

const FIELDS: ReadonlyArray<[keyof OrganizationSettings, keyof OrganizationSettingsValues]> = [
  ['defaultRole', 'default_role'],
  ['allowedEmailDomains', 'allowed_email_domains'],
  ['membersMayExport', 'members_may_export'],
  ['viewersMayRun', 'viewers_may_run'],
  ['sessionTtlMinutes', 'session_ttl_minutes'],
  ['requireTestRunForProduction', 'require_test_run_for_production'],
];

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Organization settings (API-CONTRACT.md "Organization settings"): the defaults until an OWNER or
 * ADMIN changes one, every change audited as `organization.settings_updated` with before and
 * after. Other modules read them with `get` in the request's transaction; the two that widen a
 * role's rights (`viewersMayRun`, `membersMayExport`) are also read at admission with the
 * membership and reach the caller's ability (authz/ability.factory.ts).
 */
@Injectable()
export class OrganizationSettingsService {
  static readonly DEFAULTS: OrganizationSettings = {
    defaultRole: DEFAULT_INVITE_ROLE,
    allowedEmailDomains: [],
    membersMayExport: true,
    viewersMayRun: false,
    sessionTtlMinutes: null,
    requireTestRunForProduction: false,
  };

  constructor(
    private readonly repository: OrganizationSettingsRepository,
    private readonly audit: AuditService,
  ) {}

  /** The organization's settings (defaults where none was set), in the current transaction. */
  async get(organizationId: string): Promise<OrganizationSettings> {
    const { updatedAt: _updatedAt, ...settings } = await this.read(organizationId);
    return settings;
  }

  /** Whether `email`'s domain may join the organization (invitations, SSO just-in-time). */
  static allowsEmail(settings: Pick<OrganizationSettings, 'allowedEmailDomains'>, email: string): boolean {
    if (settings.allowedEmailDomains.length === 0) return true;
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    return settings.allowedEmailDomains.includes(domain);
  }

  /**
   * How long a session of `userId` may last, in minutes: the shortest `sessionTtlMinutes` among
   * the organizations it may act in (`organizationScope`, or all of the user's); null = no limit
   * beyond the server's refresh-token lifetime. Read in the current transaction, which must run
   * for the user.
   */
  sessionLifetimeMinutes(userId: string, organizationScope: string | null): Promise<number | null> {
    return this.repository.sessionTtlMinutes(userId, organizationScope);
  }

  async read(organizationId: string): Promise<OrganizationSettingsResponseDto> {
    const row = await this.repository.find(organizationId);
    return row ? toResponse(row) : { ...OrganizationSettingsService.DEFAULTS, updatedAt: null };
  }

  /** Applies the fields sent; audits what changed (nothing changed: no event, no write). */
  async update(
    organizationId: string,
    dto: UpdateOrganizationSettingsDto,
  ): Promise<OrganizationSettingsResponseDto> {
    const current = await this.read(organizationId);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const next: OrganizationSettingsValues = {} as OrganizationSettingsValues;
    for (const [field, column] of FIELDS) {
      const sent = dto[field];
      const value = sent === undefined ? current[field] : sent;
      (next as unknown as Record<string, unknown>)[column] = value;
      if (sent !== undefined && !sameValue(sent, current[field]))
        changes[field] = { from: current[field], to: sent };
    }
    if (Object.keys(changes).length === 0) return current;
    const saved = await this.repository.save(organizationId, next);
    await this.audit.record({
      action: 'organization.settings_updated',
      target: { type: 'organization', id: organizationId },
      changes,
    });
    return toResponse(saved);
  }
}

function toResponse(row: OrganizationSettingsRow): OrganizationSettingsResponseDto {
  return {
    defaultRole: row.default_role,
    allowedEmailDomains: row.allowed_email_domains,
    membersMayExport: row.members_may_export,
    viewersMayRun: row.viewers_may_run,
    sessionTtlMinutes: row.session_ttl_minutes,
    requireTestRunForProduction: row.require_test_run_for_production,
    updatedAt: row.updated_at.toISOString(),
  };
}
