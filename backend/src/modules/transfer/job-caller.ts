import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { EntityManager } from 'typeorm';
import type { Caller, Role } from '../../common/context/request-context';
import { RequestContext } from '../../common/context/request-context';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { OrganizationSettingsService } from '../organizations/organization-settings.service';

/** The member a job acts for is gone or lost the role it needs: the job stops with this message. */
export class JobCallerGone extends Error {}

/**
 * Runs a job's work as the member who asked for it (an import's uploader, an export's requester):
 * the tenant transaction is scoped to that user, so row-level security shows what they see (their
 * private prompts, never other members'), and the caller carries the role they hold *now*, so a
 * member demoted since the upload imports nothing, and with the organization's current policies
 * (`membersMayExport`). Audit events are attributed to that user.
 */
@Injectable()
export class JobCallers {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly context: RequestContext,
    private readonly cls: ClsService,
    private readonly settings: OrganizationSettingsService,
  ) {}

  run<T>(
    organizationId: string,
    userId: string | null,
    work: (caller: Caller, em: EntityManager) => Promise<T>,
  ): Promise<T> {
    return this.cls.run(() =>
      this.transactions.run({ organizationId, userId }, async (em) => {
        const caller = await this.load(em, organizationId, userId);
        this.context.setPrincipal(caller);
        this.context.setCaller(caller);
        return work(caller, em);
      }),
    );
  }

  private async load(em: EntityManager, organizationId: string, userId: string | null): Promise<Caller> {
    const [member]: Array<{ role: Role; email: string | null }> = userId
      ? await em.query(
          `SELECT m.role, u.email FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organization_id = $1 AND m.user_id = $2`,
          [organizationId, userId],
        )
      : [];
    if (!member || !userId)
      throw new JobCallerGone('The member who started this job is no longer in the organization');
    const { viewersMayRun, membersMayExport } = await this.settings.get(organizationId);
    return {
      userId,
      email: member.email,
      sessionId: null,
      apiKey: null,
      organizationId,
      role: member.role,
      policies: { viewersMayRun, membersMayExport },
    };
  }
}
