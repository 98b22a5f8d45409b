import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { requireAccess } from '../../authz/require-access';
import { CREATOR_ROLE, isOwnerRole, OWNER_ROLE } from '../../authz/roles';
import type { Actor, Caller, Role } from '../../common/context/request-context';
import { notFound } from '../../common/errors/domain.exception';
import { isUniqueViolation } from '../../database/errors';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { PlanLimitsService } from '../billing/plan-limits.service';
import { OutboxService } from '../outbox/outbox.service';
import { CreateOrganizationDto, UpdateOrganizationDto } from './dto/organization.dto';
import {
  MemberResponseDto,
  OrganizationDetailResponseDto,
  OrganizationResponseDto,
} from './dto/organization.response.dto';
import { Membership } from './entities/membership.entity';
import { Organization } from './entities/organization.entity';
import { OrganizationSettingsService } from './organization-settings.service';
import { OrganizationException } from './organizations.errors';
import { uniqueSlug } from './slug';

const toOrganization = (o: Organization): OrganizationResponseDto => ({
  id: o.id,
  name: o.name,
  slug: o.slug,
  plan: o.plan,
});
const slugTaken = (slug: string | undefined) =>
  new OrganizationException('organization_slug_taken', `The slug "${slug}" is taken`);

/** Who joins, and what the `member.joined` audit event says about how. */
export interface NewMember {
  organizationId: string;
  userId: string;
  role: Role;
  /** Recorded as the actor; by default the request's. */
  actor?: Actor;
  changes?: Record<string, unknown>;
}

/**
 * Organizations and their members: the one place their rows are written (sign-up, SSO and
 * accepted invitations come through `createWithOwner` and `addMember`; invitations themselves
 * live in InvitationsService). Tenant methods run inside the request's tenant transaction (RLS
 * in force) for the caller they are given.
 */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly planLimits: PlanLimitsService,
    private readonly settings: OrganizationSettingsService,
  ) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /** A new organization with the caller as its OWNER (not a tenant route: the tenant is created here). */
  async create(userId: string, dto: CreateOrganizationDto): Promise<OrganizationResponseDto> {
    const id = randomUUID();
    try {
      return await this.transactions.run({ organizationId: id, userId }, async (em) => {
        const org = { id, name: dto.name, slug: dto.slug ?? uniqueSlug(dto.name) };
        await this.createWithOwner(em, org, userId);
        await this.recordCreated(org);
        return toOrganization(await em.findOneByOrFail(Organization, { id }));
      });
    } catch (err) {
      if (isUniqueViolation(err, 'organizations_slug_key')) throw slugTaken(dto.slug);
      throw err;
    }
  }

  /**
   * Inserts an organization with `ownerId` as its creator (OWNER), in `em`: a transaction scoped
   * to the new organization that the caller opened (sign-up opens one for the account and its
   * organization together). `recordCreated` audits it once the rows exist. The organization
   * starts on DEFAULT_PLAN; when that plan limits the organizations a user may own on it (Free,
   * Starter: one) and the owner already owns one on such a plan, 403 `plan_limit_reached`
   * (`ownedOrganizations`).
   */
  async createWithOwner(
    em: EntityManager,
    org: { id: string; name: string; slug: string },
    ownerId: string,
  ): Promise<void> {
    const plan = await this.planLimits.admitNewOrganization(ownerId);
    await em.insert(Organization, em.create(Organization, { ...org, plan }));
    await em.insert(Membership, { organizationId: org.id, userId: ownerId, role: CREATOR_ROLE });
  }

  /**
   * The `organization.created` audit event, in the new organization's transaction. Separate from
   * `createWithOwner` because the trail needs the row first, and sign-up records its
   * `user.signed_up` in between.
   */
  async recordCreated(org: { id: string; name: string; slug: string }, actor?: Actor): Promise<void> {
    await this.audit.record({
      actor,
      action: 'organization.created',
      target: { type: 'organization', id: org.id },
      changes: { name: org.name, slug: org.slug },
    });
  }

  /**
   * Adds a member (an accepted invitation, a first SSO sign-in) and audits `member.joined`, in `em`.
   * The plan's member limit is checked first (members only: an accepted invitation was counted
   * when it was sent), under the organization's row lock: 403 `plan_limit_reached`.
   */
  async addMember(em: EntityManager, member: NewMember): Promise<void> {
    const { organizationId, userId, role } = member;
    await this.planLimits.assertCanCreate('members', organizationId);
    await em.insert(Membership, { organizationId, userId, role });
    await this.audit.record({
      actor: member.actor,
      action: 'member.joined',
      target: { type: 'user', id: userId },
      changes: { role, ...member.changes },
    });
    await this.outbox.publish({
      type: 'member.joined',
      aggregateType: 'user',
      aggregateId: userId,
      organizationId,
      payload: { role },
    });
  }

  /** Whether the user is a member of the organization (read in `em`, under its RLS scope). */
  async isMember(em: EntityManager, organizationId: string, userId: string): Promise<boolean> {
    return !!(await em.findOneBy(Membership, { organizationId, userId }));
  }

  /** The organization with its role-widening policies (any member). */
  async get(organizationId: string): Promise<OrganizationDetailResponseDto> {
    const org = await this.em.findOneBy(Organization, { id: organizationId });
    if (!org) throw notFound('Organization');
    const { viewersMayRun, membersMayExport } = await this.settings.get(organizationId);
    return { ...toOrganization(org), policies: { viewersMayRun, membersMayExport } };
  }

  async update(organizationId: string, dto: UpdateOrganizationDto): Promise<OrganizationResponseDto> {
    const org = await this.em.findOneBy(Organization, { id: organizationId });
    if (!org) throw notFound('Organization');
    const changes: Record<string, { from: string; to: string }> = {};
    for (const key of ['name', 'slug'] as const) {
      if (dto[key] !== undefined && dto[key] !== org[key]) changes[key] = { from: org[key], to: dto[key] };
    }
    if (!Object.keys(changes).length) return toOrganization(org);
    try {
      await this.em.update(Organization, { id: organizationId }, { ...dto });
    } catch (err) {
      if (isUniqueViolation(err, 'organizations_slug_key')) throw slugTaken(dto.slug);
      throw err;
    }
    await this.audit.record({
      action: 'organization.updated',
      target: { type: 'organization', id: organizationId },
      changes,
    });
    return toOrganization(await this.em.findOneByOrFail(Organization, { id: organizationId }));
  }

  /** Deletes the organization and, by cascade, all of its data; consumers hear of it via the outbox. */
  async remove(organizationId: string): Promise<void> {
    await this.outbox.publish({
      type: 'organization.deleted',
      aggregateType: 'organization',
      aggregateId: organizationId,
    });
    const result = await this.em.delete(Organization, { id: organizationId });
    if (!result.affected) throw notFound('Organization');
  }

  /** Members with their e-mail and name; `onlyUserId` narrows it to one. */
  async members(organizationId: string, onlyUserId?: string): Promise<MemberResponseDto[]> {
    const rows: Array<{ user_id: string; email: string; name: string; role: Role; created_at: Date }> =
      await this.em.query(
        `SELECT m.user_id, u.email, u.name, m.role, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = $1 AND ($2::uuid IS NULL OR m.user_id = $2)
        ORDER BY m.created_at, u.email`,
        [organizationId, onlyUserId ?? null],
      );
    return rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      name: r.name,
      role: r.role,
      joinedAt: r.created_at.toISOString(),
    }));
  }

  async changeRole(caller: Caller, userId: string, role: Role): Promise<MemberResponseDto> {
    const { organizationId } = caller;
    const member = await this.lockedMember(organizationId, userId);
    requireMayGrant(caller, 'update', member.role);
    requireMayGrant(caller, 'update', role);
    if (member.role === role) return this.member(organizationId, userId);
    if (isOwnerRole(member.role)) await this.assertNotLastOwner(organizationId);
    await this.em.update(Membership, { organizationId, userId }, { role });
    await this.audit.record({
      action: 'member.role_changed',
      target: { type: 'user', id: userId },
      changes: { role: { from: member.role, to: role } },
    });
    return this.member(organizationId, userId);
  }

  async removeMember(caller: Caller, userId: string): Promise<void> {
    const { organizationId } = caller;
    const member = await this.lockedMember(organizationId, userId);
    requireMayGrant(caller, 'delete', member.role);
    if (isOwnerRole(member.role)) await this.assertNotLastOwner(organizationId);
    await this.em.delete(Membership, { organizationId, userId });
    await this.audit.record({
      action: 'member.removed',
      target: { type: 'user', id: userId },
      changes: { role: member.role },
    });
    await this.outbox.publish({
      type: 'member.removed',
      aggregateType: 'user',
      aggregateId: userId,
      organizationId,
      payload: { role: member.role },
    });
  }

  private async member(organizationId: string, userId: string): Promise<MemberResponseDto> {
    const [member] = await this.members(organizationId, userId);
    return member;
  }

  private async lockedMember(organizationId: string, userId: string): Promise<Membership> {
    const member = await this.em.findOne(Membership, {
      where: { organizationId, userId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!member) throw notFound('Member');
    return member;
  }

  private async assertNotLastOwner(organizationId: string): Promise<void> {
    // Lock every OWNER row so two concurrent demotions cannot both see "another owner remains".
    const owners: unknown[] = await this.em.query(
      `SELECT user_id FROM memberships WHERE organization_id = $1 AND role = $2 FOR UPDATE`,
      [organizationId, OWNER_ROLE],
    );
    if (owners.length <= 1)
      throw new OrganizationException('last_owner', 'An organization needs at least one OWNER');
  }
}

/** Granting, changing or taking a role: only an OWNER may do it to the OWNER role. */
export function requireMayGrant(
  caller: Caller,
  action: 'create' | 'update' | 'delete',
  role: Role,
  subject: 'Member' | 'Invite' = 'Member',
): void {
  requireAccess(
    caller,
    action,
    { __type: subject, role },
    'Only an OWNER can grant, change or remove the OWNER role',
  );
}
