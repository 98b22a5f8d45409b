import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import * as argon2 from 'argon2';
import { EntityManager } from 'typeorm';
import { DEFAULT_POLICIES } from '../../authz/ability.factory';
import { OWNER_ROLE } from '../../authz/roles';
import type { Actor } from '../../common/context/request-context';
import { AppConfig } from '../../config/app-config';
import { AppException } from '../../common/errors/domain.exception';
import { isUniqueViolation } from '../../database/errors';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { InvitationsService } from '../organizations/invitations.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { uniqueSlug } from '../organizations/slug';
import { User } from '../users/entities/user.entity';
import { MeResponseDto, TokenResponseDto, UserResponseDto } from './dto/auth.response.dto';
import { ChangePasswordDto, LoginDto, SignupDto } from './dto/signup.dto';
import { AccountLinksService } from './account-links.service';
import { ARGON2, AccountEvents, NO_ORG, accountGone, findByEmail } from './accounts';
import { AuthException } from './auth.errors';
import { LoginThrottle } from './login-throttle';
import { SessionRevocations } from './session-revocations';
import { SessionsService } from './sessions.service';

/** The organization a sign-up creates when no name was given. */
export const defaultOrganizationName = (userName: string): string => `${userName}'s organization`;

/**
 * Accounts: sign-up with a default organization, sign-in with throttling, password change and the
 * account lookups SSO provisioning uses. Sessions live in SessionsService, e-mail links in
 * AccountLinksService.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Verified against when the e-mail is unknown, so both failures take the same time. */
  private readonly dummyHash = argon2.hash('not-a-real-password-1234', ARGON2);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
    private readonly organizations: OrganizationsService,
    private readonly invitations: InvitationsService,
    private readonly config: AppConfig,
    private readonly revocations: SessionRevocations,
    private readonly sessions: SessionsService,
    private readonly links: AccountLinksService,
    private readonly events: AccountEvents,
  ) {}

  /**
   * Creates the user with their default organization (as OWNER) in one transaction, or, with an
   * invitation token for this e-mail, the user as a member of the inviting organization with the
   * invited role and nothing else (the invitation proved the address, so it counts as verified).
   */
  async signup(dto: SignupDto): Promise<UserResponseDto> {
    if (dto.inviteToken !== undefined && dto.organizationName !== undefined) {
      const message = 'an invited sign-up joins the inviting organization and creates none';
      throw new AppException('validation_failed', `organizationName: ${message}`, {
        errors: [{ field: 'organizationName', message }],
      });
    }
    const invite =
      dto.inviteToken === undefined
        ? null
        : await this.invitations.inviteForSignup(dto.inviteToken, dto.email);
    const passwordHash = await argon2.hash(dto.password, ARGON2);
    const userId = randomUUID();
    const actor = { type: 'user', id: userId, email: dto.email } satisfies Actor;
    const user = { id: userId, email: dto.email, name: dto.name };
    try {
      if (invite) {
        return await this.transactions.run(
          { organizationId: invite.organizationId, userId, tokenHash: invite.tokenHash },
          async (em) => {
            await em.insert(User, { ...user, passwordHash, emailVerifiedAt: new Date() });
            await this.audit.record({
              actor,
              action: 'user.signed_up',
              target: { type: 'user', id: userId },
            });
            await this.invitations.joinOnSignup(em, invite, actor);
            return user;
          },
        );
      }
      const organizationId = randomUUID();
      return await this.transactions.run({ organizationId, userId }, async (em) => {
        await em.insert(User, { ...user, passwordHash });
        const name = dto.organizationName ?? defaultOrganizationName(dto.name);
        const org = { id: organizationId, name, slug: uniqueSlug(name) };
        await this.organizations.createWithOwner(em, org, userId);
        await this.audit.record({ actor, action: 'user.signed_up', target: { type: 'user', id: userId } });
        await this.organizations.recordCreated(org, actor);
        if (this.config.emailVerification)
          await this.links.sendEmailLink(em, userId, dto.email, 'verify_email');
        return user;
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key'))
        throw new AuthException('email_taken', 'An account with this e-mail already exists');
      throw err;
    }
  }

  /** `ip` is the caller's address (null if unknown): failures count per address and per account. */
  async login(dto: LoginDto, ip: string | null): Promise<TokenResponseDto> {
    ip ??= 'unknown';
    await this.throttle.admit(dto.email, ip);

    const user = await this.transactions.run({ ...NO_ORG, userId: null }, (em) =>
      findByEmail(em, dto.email, true),
    );
    const ok = await argon2.verify(user?.passwordHash ?? (await this.dummyHash), dto.password);
    if (!user || !user.passwordHash || !ok) {
      await this.recordFailure(dto.email, ip, user);
      throw new AuthException('invalid_credentials', 'The e-mail or password is wrong');
    }
    // Only after the password proved who is asking, so the answer reveals no memberships.
    await this.refuseWhenSsoRequired(user);
    if (this.config.emailVerification && !user.emailVerifiedAt) {
      throw new AuthException(
        'email_not_verified',
        'Verify your e-mail address first: follow the link we sent you',
      );
    }
    await this.throttle.succeeded(dto.email);
    const tokens = await this.transactions.run({ ...NO_ORG, userId: user.id }, (em) =>
      this.sessions.startSession(em, user),
    );
    await this.events.recordInEveryOrganization(user, 'auth.login');
    return tokens;
  }

  /** The account with this e-mail (any case), read in `em`. */
  findAccount(em: EntityManager, email: string): Promise<User | null> {
    return findByEmail(em, email, false);
  }

  /**
   * An account whose e-mail another party proved (an IdP): verified, without a password. Audited
   * as `user.signed_up` in `em`'s organization, the one the account is about to join.
   */
  async createVerifiedAccount(
    em: EntityManager,
    identity: { email: string; name: string },
    via: 'sso',
  ): Promise<User> {
    const user = em.create(User, {
      id: randomUUID(),
      email: identity.email,
      name: identity.name,
      passwordHash: null,
      emailVerifiedAt: new Date(),
    });
    await em.insert(User, user);
    await this.audit.record({
      actor: { type: 'user', id: user.id, email: user.email },
      action: 'user.signed_up',
      target: { type: 'user', id: user.id },
      changes: { via },
    });
    return user;
  }

  /**
   * Changes the password and ends every other session of the user (all of them when the caller
   * is not a session, e.g. an API key).
   */
  async changePassword(userId: string, sessionId: string | null, dto: ChangePasswordDto): Promise<void> {
    const user = await this.transactions.run({ ...NO_ORG, userId }, (em) =>
      em
        .createQueryBuilder(User, 'u')
        .addSelect('u.passwordHash')
        .where('u.id = :userId', { userId })
        .getOne(),
    );
    if (!user?.passwordHash || !(await argon2.verify(user.passwordHash, dto.currentPassword))) {
      throw new AuthException('current_password_wrong', 'The current password is wrong', {
        errors: [{ field: 'currentPassword', message: 'currentPassword is wrong' }],
      });
    }
    const passwordHash = await argon2.hash(dto.newPassword, ARGON2);
    const ended = await this.transactions.run({ ...NO_ORG, userId }, async (em) => {
      await em.update(User, { id: userId }, { passwordHash });
      return this.sessions.endSessions(em, userId, sessionId);
    });
    await this.revocations.revoke(ended);
    await this.events.recordInEveryOrganization(user, 'auth.password_changed');
  }

  async me(userId: string): Promise<MeResponseDto> {
    return this.transactions.run({ ...NO_ORG, userId }, async (em) => {
      const user = await em.findOne(User, { where: { id: userId } });
      if (!user) throw accountGone();
      const rows: Array<{
        organization_id: string;
        name: string;
        slug: string;
        role: MeResponseDto['memberships'][0]['role'];
        viewers_may_run: boolean | null;
        members_may_export: boolean | null;
      }> = await em.query(
        `SELECT m.organization_id, o.name, o.slug, m.role, s.viewers_may_run, s.members_may_export
             FROM memberships m JOIN organizations o ON o.id = m.organization_id
             LEFT JOIN organization_settings s ON s.organization_id = m.organization_id
            WHERE m.user_id = $1
            ORDER BY o.name, o.id`,
        [userId],
      );
      return {
        id: user.id,
        email: user.email,
        name: user.name,
        emailVerified: !!user.emailVerifiedAt,
        memberships: rows.map((r) => ({
          organizationId: r.organization_id,
          organizationName: r.name,
          slug: r.slug,
          role: r.role,
          policies: {
            viewersMayRun: r.viewers_may_run ?? DEFAULT_POLICIES.viewersMayRun,
            membersMayExport: r.members_may_export ?? DEFAULT_POLICIES.membersMayExport,
          },
        })),
      };
    });
  }

  /**
   * Password sign-in is refused for members of an organization that requires SSO (and has it
   * turned on), except its OWNERs, who keep it as break-glass access when the IdP fails.
   */
  private async refuseWhenSsoRequired(user: User): Promise<void> {
    const memberships: Array<{ organization_id: string; slug: string }> = await this.transactions.run(
      { ...NO_ORG, userId: user.id },
      (em) =>
        em.query(
          `SELECT m.organization_id, o.slug FROM memberships m JOIN organizations o ON o.id = m.organization_id
            WHERE m.user_id = $1 AND m.role <> $2 ORDER BY o.slug`,
          [user.id, OWNER_ROLE],
        ),
    );
    for (const { organization_id: organizationId, slug } of memberships) {
      const refused = await this.transactions.run({ organizationId, userId: user.id }, async (em) => {
        const [required]: unknown[] = await em.query(
          `SELECT 1 FROM sso_settings WHERE organization_id = $1 AND enabled AND sso_required`,
          [organizationId],
        );
        if (!required) return false;
        await this.audit.record({
          actor: { type: 'user', id: user.id, email: user.email },
          action: 'auth.login_failed',
          target: { type: 'user', id: user.id },
          changes: { method: 'password', reason: 'sso_required' },
        });
        return true;
      });
      if (refused) {
        throw new AuthException(
          'sso_required',
          `The organization "${slug}" requires single sign-on: choose "Sign in with SSO" and enter ${slug}`,
        );
      }
    }
  }

  private async recordFailure(email: string, ip: string, user: User | null): Promise<void> {
    await this.throttle.failed(email, ip);
    if (user) await this.events.recordInEveryOrganization(user, 'auth.login_failed');
    else this.logger.warn({ ip }, 'sign-in failed for an unknown e-mail');
  }
}
