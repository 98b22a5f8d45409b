import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { isOwnerRole } from '../../authz/roles';
import type { Actor, Caller, Principal } from '../../common/context/request-context';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditPersonalData } from '../audit/audit-personal-data';
import { AuditQueryService } from '../audit/audit-query.service';
import { AuditService } from '../audit/audit.service';
import { AuditEventResponseDto } from '../audit/dto/audit-event.response.dto';
import { accountGone, NO_ORG } from '../auth/accounts';
import { SessionRevocations } from '../auth/session-revocations';
import { SessionsService } from '../auth/sessions.service';
import { OrganizationException } from '../organizations/organizations.errors';
import { OrganizationsService } from '../organizations/organizations.service';
import { EraseAccountDto } from './dto/privacy.dto';
import {
  ExportOrganizationDataDto,
  LastOwnerOrganizationDto,
  MemberErasureResponseDto,
  PersonalDataExportDto,
} from './dto/personal-data.response.dto';
import { PrivacyException } from './privacy.errors';
import { PrivacyRepository } from './privacy.repository';

/** How recent an SSO-only account's sign-in must be to erase the account. */
export const FRESH_SIGN_IN_MS = 5 * 60_000;

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** A row as the export shows it: camelCase keys, timestamps in ISO 8601. */
function exported<T>(row: Record<string, unknown>): T {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [camel(k), v instanceof Date ? v.toISOString() : v]),
  ) as T;
}

/**
 * GDPR requests (docs/compliance.md#gdpr): a user's export of everything held about them, the
 * erasure of their account, and an OWNER's erasure of a former member's personal data from the
 * organization's audit trail. Every organization is read and changed in its own tenant
 * transaction, as the user (row-level security as for any of their requests), never in system scope.
 */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly repository: PrivacyRepository,
    private readonly audit: AuditService,
    private readonly auditEvents: AuditQueryService,
    private readonly auditPersonal: AuditPersonalData,
    private readonly organizations: OrganizationsService,
    private readonly sessions: SessionsService,
    private readonly revocations: SessionRevocations,
  ) {}

  async export(principal: Principal): Promise<PersonalDataExportDto> {
    const userId = this.sessionUser(principal);
    const account = await this.transactions.run({ ...NO_ORG, userId }, async () => {
      const user = await this.repository.account(userId);
      if (!user) throw accountGone();
      return {
        user,
        memberships: await this.repository.memberships(userId),
        sessions: await this.repository.sessions(userId),
      };
    });
    const organizations: ExportOrganizationDataDto[] = [];
    for (const m of account.memberships) {
      organizations.push(
        await this.transactions.run({ organizationId: m.organization_id, userId }, async () => {
          const content = await this.repository.content(m.organization_id, userId);
          const keys = await this.repository.apiKeyIds(m.organization_id, userId);
          const events = await this.auditEvents.eventsOfActors(m.organization_id, [userId, ...keys]);
          return {
            organizationId: m.organization_id,
            organizationName: m.name,
            prompts: content.prompts.map((r) => exported(r)),
            versions: content.versions.map((r) => exported(r)),
            comments: content.comments.map((r) => exported(r)),
            favorites: content.favorites.map((r) => exported(r)),
            savedSearches: content.savedSearches.map((r) => exported(r)),
            apiKeys: content.apiKeys.map((r) => exported(r)),
            auditEvents: events.map(AuditEventResponseDto.from),
          };
        }),
      );
    }
    const { user } = account;
    return {
      exportedAt: new Date().toISOString(),
      profile: {
        id: user.id,
        email: user.email,
        name: user.name,
        emailVerified: !!user.email_verified_at,
        hasPassword: !!user.password_hash,
        createdAt: user.created_at.toISOString(),
        updatedAt: user.updated_at.toISOString(),
      },
      memberships: account.memberships.map((m) => ({
        organizationId: m.organization_id,
        organizationName: m.name,
        slug: m.slug,
        role: m.role,
        joinedAt: m.created_at.toISOString(),
      })),
      sessions: account.sessions.map((s) => ({
        id: s.family_id,
        createdAt: s.created_at.toISOString(),
        lastUsedAt: s.last_used_at.toISOString(),
        expiresAt: s.expires_at.toISOString(),
        revokedAt: s.revoked_at?.toISOString() ?? null,
        organizationScope: s.organization_scope,
      })),
      organizations,
    };
  }

  /**
   * Erases the caller's account (`DELETE /me`). Refused with 409 `last_owner` (listing them) while
   * they are the last OWNER of an organization that has other members. Then, organization by
   * organization: one where they are the only member is deleted; elsewhere their API keys are
   * revoked, their favorites and saved searches removed, their membership ended, and their
   * personal data erased from the audit trail (also in organizations they left earlier), which
   * records `user.erased` without it. Last, the account becomes its tombstone ("Deleted user")
   * and every session ends. Each step is idempotent: an erasure cut short can be asked for again.
   */
  async eraseAccount(principal: Principal, dto: EraseAccountDto): Promise<void> {
    const userId = this.sessionUser(principal);
    const memberships = await this.transactions.run({ ...NO_ORG, userId }, async () => {
      const user = await this.repository.account(userId);
      if (!user) throw accountGone();
      await this.reauthenticate(user.password_hash, userId, principal.sessionId, dto);
      return this.repository.memberships(userId);
    });

    const standings = [];
    for (const m of memberships) {
      const standing = await this.transactions.run({ organizationId: m.organization_id, userId }, () =>
        this.repository.standing(m.organization_id, userId),
      );
      if (standing) standings.push({ membership: m, ...standing });
    }
    const blocking: LastOwnerOrganizationDto[] = standings
      .filter((s) => isOwnerRole(s.role) && s.owners === 1 && s.members > 1)
      .map((s) => ({ id: s.membership.organization_id, name: s.membership.name }));
    if (blocking.length)
      throw new OrganizationException(
        'last_owner',
        'You are the last OWNER of organizations that have other members: make someone else an OWNER or delete them first',
        { extensions: { organizations: blocking } },
      );

    // The erased user as an actor, without the personal data being erased.
    const actor: Actor = { type: 'user', id: userId, email: null };
    for (const s of standings) {
      const organizationId = s.membership.organization_id;
      await this.transactions.run({ organizationId, userId }, async () => {
        if (s.members === 1) return this.organizations.remove(organizationId);
        await this.repository.leave(organizationId, userId);
        await this.eraseIn(organizationId, userId, actor);
      });
    }
    // Organizations they had left before: their personal data in those audit trails goes too.
    const former = await this.transactions.run({ ...NO_ORG, userId }, () =>
      this.auditPersonal.organizationsWithOwnPersonalData(),
    );
    for (const organizationId of former)
      await this.transactions.run({ organizationId, userId }, () =>
        this.eraseIn(organizationId, userId, actor),
      );

    const ended = await this.transactions.run({ ...NO_ORG, userId }, async (em) => {
      await this.repository.tombstone(userId, `deleted-${randomUUID()}@invalid`);
      return this.sessions.endSessions(em, userId, null);
    });
    await this.revocations.revoke(principal.sessionId ? [...ended, principal.sessionId] : ended);
  }

  /**
   * An OWNER erases a former member's personal data (e-mail, IP address, user agent) from the
   * organization's audit trail; the chain still verifies. Audited as `user.erased` (by the OWNER,
   * naming the user by id only). 409 `privacy_still_member` while the user is a member.
   */
  async eraseMember(caller: Caller, userId: string): Promise<MemberErasureResponseDto> {
    if (await this.organizations.isMember(this.transactions.manager, caller.organizationId, userId))
      throw new PrivacyException(
        'privacy_still_member',
        'Remove the user from the organization before erasing their personal data',
      );
    const erasedEvents = await this.auditPersonal.erasePersonal(userId);
    await this.audit.record({
      action: 'user.erased',
      target: { type: 'user', id: userId },
      changes: { erasedEvents, by: 'organization_owner' },
    });
    return { erasedEvents };
  }

  /** In `organizationId`'s transaction: erase and audit it, attributed to the erased user. */
  private async eraseIn(organizationId: string, userId: string, actor: Actor): Promise<void> {
    const erasedEvents = await this.auditPersonal.erasePersonal(userId);
    await this.audit.record({
      organizationId,
      actor,
      withoutRequestMeta: true,
      action: 'user.erased',
      target: { type: 'user', id: userId },
      changes: { erasedEvents, by: 'user' },
    });
  }

  /**
   * A password account confirms with its password; an SSO-only account with a sign-in less than
   * `FRESH_SIGN_IN_MS` old (the session's first token), since it has no password to give.
   */
  private async reauthenticate(
    passwordHash: string | null,
    userId: string,
    sessionId: string | null,
    dto: EraseAccountDto,
  ): Promise<void> {
    if (passwordHash) {
      if (dto.password === undefined)
        throw new PrivacyException('reauthentication_required', 'Give your password to erase your account', {
          errors: [{ field: 'password', message: 'password is required for this account' }],
        });
      if (!(await argon2.verify(passwordHash, dto.password)))
        throw new PrivacyException('reauthentication_failed', 'The password is wrong', {
          errors: [{ field: 'password', message: 'password is wrong' }],
        });
      return;
    }
    const started = sessionId ? await this.repository.sessionStartedAt(userId, sessionId) : null;
    if (!started || Date.now() - started.getTime() > FRESH_SIGN_IN_MS)
      throw new PrivacyException(
        'reauthentication_required',
        'Sign in again with single sign-on, then erase your account within five minutes',
      );
  }

  /** Export and erasure act for a person: a signed-in session, not an API key. */
  private sessionUser(principal: Principal): string {
    if (principal.apiKey)
      throw new PrivacyException(
        'privacy_session_required',
        'API keys cannot export or erase an account: sign in to the console',
      );
    return principal.userId;
  }
}
