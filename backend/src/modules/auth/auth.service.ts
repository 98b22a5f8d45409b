import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as argon2 from 'argon2';
import { EntityManager, IsNull } from 'typeorm';
import type { AccessTokenClaims } from '../../authz/credentials';
import { OWNER_ROLE } from '../../authz/roles';
import type { Actor } from '../../common/context/request-context';
import { newSecret, sha256 } from '../../common/security/tokens';
import { AppConfig } from '../../config/app-config';
import { isUniqueViolation } from '../../database/errors';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../mail/mail.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { uniqueSlug } from '../organizations/slug';
import { User } from '../users/entities/user.entity';
import { MeResponseDto, TokenResponseDto, UserResponseDto } from './dto/auth.response.dto';
import { ChangePasswordDto, LoginDto, ResetPasswordDto, SignupDto } from './dto/signup.dto';
import { EmailToken, EmailTokenPurpose } from './entities/email-token.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { AuthException } from './auth.errors';
import { LoginThrottle } from './login-throttle';
import { SessionRevocations } from './session-revocations';

const ARGON2 = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const HOUR = 3600_000;
const NO_ORG = { organizationId: null };

const accountGone = () => new AuthException('account_gone', 'The account no longer exists');

/**
 * Accounts and sessions: sign-up with a default organization, sign-in with throttling, rotating
 * refresh tokens with reuse detection, e-mail verification and password reset by single-use links.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Verified against when the e-mail is unknown, so both failures take the same time. */
  private readonly dummyHash = argon2.hash('not-a-real-password-1234', ARGON2);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly throttle: LoginThrottle,
    private readonly organizations: OrganizationsService,
    private readonly config: AppConfig,
    private readonly revocations: SessionRevocations,
  ) {}

  /** Creates the user with their default organization (as OWNER) in one transaction. */
  async signup(dto: SignupDto): Promise<UserResponseDto> {
    const passwordHash = await argon2.hash(dto.password, ARGON2);
    const userId = randomUUID();
    const organizationId = randomUUID();
    try {
      return await this.transactions.run({ organizationId, userId }, async (em) => {
        await em.insert(User, { id: userId, email: dto.email, name: dto.name, passwordHash });
        const org = { id: organizationId, name: `${dto.name}'s organization`, slug: uniqueSlug(dto.name) };
        await this.organizations.createWithOwner(em, org, userId);
        const actor: Actor = { type: 'user', id: userId, email: dto.email };
        await this.audit.record({ actor, action: 'user.signed_up', target: { type: 'user', id: userId } });
        await this.organizations.recordCreated(org, actor);
        if (this.config.emailVerification) await this.sendEmailLink(em, userId, dto.email, 'verify_email');
        return { id: userId, email: dto.email, name: dto.name };
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AuthException('email_taken', 'An account with this e-mail already exists');
      throw err;
    }
  }

  /** `ip` is the caller's address (null if unknown): failures count per address and per account. */
  async login(dto: LoginDto, ip: string | null): Promise<TokenResponseDto> {
    ip ??= 'unknown';
    await this.throttle.admit(dto.email, ip);

    const user = await this.transactions.run({ ...NO_ORG, userId: null }, (em) =>
      this.findByEmail(em, dto.email, true),
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
      this.startSession(em, user),
    );
    await this.recordInEveryOrganization(user, 'auth.login');
    return tokens;
  }

  /**
   * Starts a session for a user whose identity was proven another way (a SAML assertion). The
   * tokens have the shape of a password sign-in's, but the session (and every token refreshed
   * from it) acts only in `organizationScope`: one organization's IdP vouches for nobody elsewhere.
   */
  async startSessionFor(userId: string, organizationScope: string): Promise<TokenResponseDto> {
    return this.transactions.run({ ...NO_ORG, userId }, async (em) => {
      const user = await em.findOne(User, { where: { id: userId } });
      if (!user) throw accountGone();
      return (await this.issue(em, user, randomUUID(), organizationScope)).tokens;
    });
  }

  /** The account with this e-mail (any case), read in `em`. */
  findAccount(em: EntityManager, email: string): Promise<User | null> {
    return this.findByEmail(em, email, false);
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

  /** Rotates a refresh token; a token used twice revokes its whole session (family). */
  async refresh(refreshToken: string): Promise<TokenResponseDto> {
    const tokenHash = sha256(refreshToken);
    const outcome = await this.transactions.run({ ...NO_ORG, userId: null }, async (em) => {
      const current = await em.findOne(RefreshToken, {
        where: { tokenHash },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current)
        return { error: 'refresh_token_invalid', detail: 'The refresh token is not valid' } as const;
      if (current.revokedAt || current.replacedBy) {
        await em.update(
          RefreshToken,
          { familyId: current.familyId, revokedAt: IsNull() },
          { revokedAt: new Date() },
        );
        this.logger.warn(
          { userId: current.userId, familyId: current.familyId },
          'refresh token reuse: session revoked',
        );
        return {
          error: 'refresh_token_reused',
          detail: 'The refresh token was already used; the session has been ended',
          endedSession: current.familyId,
        } as const;
      }
      if (current.expiresAt.getTime() <= Date.now())
        return { error: 'refresh_token_expired', detail: 'The refresh token has expired' } as const;
      const user = await em.findOne(User, { where: { id: current.userId } });
      if (!user) return { error: 'account_gone', detail: 'The account no longer exists' } as const;
      const { tokens, tokenId } = await this.issue(em, user, current.familyId, current.organizationScope);
      await em.update(RefreshToken, { id: current.id }, { replacedBy: tokenId });
      return { tokens } as const;
    });
    // Revocation above must commit, so the error is raised only after the transaction.
    if (outcome.error) {
      // Whoever holds the stolen pair loses its access token too, not only the refresh token.
      const ended = 'endedSession' in outcome ? outcome.endedSession : undefined;
      if (ended) await this.revocations.revoke([ended]);
      throw new AuthException(outcome.error, outcome.detail);
    }
    return outcome.tokens;
  }

  /**
   * Ends the session the refresh token belongs to, its access tokens included. Unknown tokens are
   * ignored (nothing to end).
   */
  async logout(refreshToken: string): Promise<void> {
    const session = await this.transactions.run({ ...NO_ORG, userId: null }, async (em) => {
      const token = await em.findOne(RefreshToken, { where: { tokenHash: sha256(refreshToken) } });
      if (!token) return null;
      await em.update(
        RefreshToken,
        { familyId: token.familyId, revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
      return token.familyId;
    });
    if (session) await this.revocations.revoke([session]);
  }

  async verifyEmail(token: string): Promise<void> {
    await this.transactions.run({ ...NO_ORG, userId: null }, async (em) => {
      const row = await this.useEmailToken(em, token, 'verify_email');
      await em.update(User, { id: row.userId }, { emailVerifiedAt: new Date() });
    });
  }

  /** Always answers the same, whether or not the e-mail has an account (no enumeration). */
  async forgotPassword(email: string): Promise<void> {
    await this.transactions.run({ ...NO_ORG, userId: null }, async (em) => {
      const user = await this.findByEmail(em, email, false);
      if (user) await this.sendEmailLink(em, user.id, user.email, 'reset_password');
    });
  }

  /** Sets the new password and ends every session of the account. */
  async resetPassword(dto: ResetPasswordDto): Promise<void> {
    const passwordHash = await argon2.hash(dto.password, ARGON2);
    const { user, ended } = await this.transactions.run({ ...NO_ORG, userId: null }, async (em) => {
      const row = await this.useEmailToken(em, dto.token, 'reset_password');
      // Following the link proves the address, so it also counts as verification.
      await em.update(
        User,
        { id: row.userId },
        { passwordHash, emailVerifiedAt: () => 'coalesce(email_verified_at, now())' },
      );
      return {
        ended: await this.endSessions(em, row.userId, null),
        user: await em.findOneOrFail(User, { where: { id: row.userId } }),
      };
    });
    await this.revocations.revoke(ended);
    await this.recordInEveryOrganization(user, 'auth.password_reset');
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
      return this.endSessions(em, userId, sessionId);
    });
    await this.revocations.revoke(ended);
    await this.recordInEveryOrganization(user, 'auth.password_changed');
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
      }> = await em.query(
        `SELECT m.organization_id, o.name, o.slug, m.role
             FROM memberships m JOIN organizations o ON o.id = m.organization_id
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
        })),
      };
    });
  }

  private findByEmail(em: EntityManager, email: string, withPassword: boolean): Promise<User | null> {
    const qb = em
      .createQueryBuilder(User, 'u')
      .where('lower(u.email) = :email', { email: email.toLowerCase() });
    if (withPassword) qb.addSelect('u.passwordHash');
    return qb.getOne();
  }

  /**
   * Revokes the refresh tokens of every live session of the user except `keep`, and returns those
   * sessions, whose access tokens the caller ends once this transaction has committed.
   */
  private async endSessions(em: EntityManager, userId: string, keep: string | null): Promise<string[]> {
    const rows: Array<{ family_id: string }> = await em.query(
      `WITH ended AS (
         UPDATE refresh_tokens SET revoked_at = now()
          WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2::uuid)
          RETURNING family_id)
       SELECT DISTINCT family_id FROM ended`,
      [userId, keep],
    );
    return rows.map((r) => r.family_id);
  }

  private async startSession(em: EntityManager, user: User): Promise<TokenResponseDto> {
    return (await this.issue(em, user, randomUUID())).tokens;
  }

  private async issue(
    em: EntityManager,
    user: User,
    familyId: string,
    organizationScope: string | null = null,
  ) {
    const refreshToken = newSecret();
    const tokenId = randomUUID();
    await em.insert(RefreshToken, {
      id: tokenId,
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.config.refreshTtlDays * 24 * HOUR),
      organizationScope,
    });
    const claims: AccessTokenClaims = { sub: user.id, email: user.email, sid: familyId };
    if (organizationScope) claims.org = organizationScope;
    const accessToken = await this.jwt.signAsync(claims);
    return { tokenId, tokens: { accessToken, refreshToken, expiresIn: this.config.jwtAccessTtlSeconds } };
  }

  private async sendEmailLink(
    em: EntityManager,
    userId: string,
    email: string,
    purpose: EmailTokenPurpose,
  ): Promise<void> {
    const token = newSecret();
    await em.insert(EmailToken, {
      userId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + (purpose === 'reset_password' ? HOUR : 48 * HOUR)),
    });
    const link =
      purpose === 'verify_email'
        ? `${this.config.publicUrl}/verify-email?token=${token}`
        : `${this.config.publicUrl}/reset-password?token=${token}`;
    const mail =
      purpose === 'verify_email'
        ? {
            subject: 'Verify your e-mail for Prompt Vault',
            text: `Confirm your address by opening this link:\n\n${link}\n\nIt expires in 48 hours.`,
          }
        : {
            subject: 'Reset your Prompt Vault password',
            text: `Choose a new password here:\n\n${link}\n\nThe link works once and expires in 1 hour. If you did not ask for it, ignore this mail.`,
          };
    this.transactions.afterCommit(() => this.mail.send({ to: email, ...mail }));
  }

  private async useEmailToken(
    em: EntityManager,
    token: string,
    purpose: EmailTokenPurpose,
  ): Promise<EmailToken> {
    const row = await em.findOne(EmailToken, {
      where: { tokenHash: sha256(token), purpose },
      lock: { mode: 'pessimistic_write' },
    });
    if (!row) throw new AuthException('link_invalid', 'This link is not valid');
    if (row.usedAt) throw new AuthException('link_used', 'This link was already used');
    if (row.expiresAt.getTime() <= Date.now())
      throw new AuthException('link_expired', 'This link has expired');
    await em.update(EmailToken, { id: row.id }, { usedAt: new Date() });
    return row;
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
    if (user) await this.recordInEveryOrganization(user, 'auth.login_failed');
    else this.logger.warn({ ip }, 'sign-in failed for an unknown e-mail');
  }

  /** Account events belong to every organization the user is in: each one's admins see them. */
  private async recordInEveryOrganization(user: User, action: string): Promise<void> {
    const orgs: Array<{ organization_id: string }> = await this.transactions.run(
      { ...NO_ORG, userId: user.id },
      (em) => em.query(`SELECT organization_id FROM memberships WHERE user_id = $1`, [user.id]),
    );
    const actor: Actor = { type: 'user', id: user.id, email: user.email };
    for (const { organization_id } of orgs) {
      await this.transactions.run({ organizationId: organization_id, userId: user.id }, () =>
        this.audit.record({ actor, action, target: { type: 'user', id: user.id } }),
      );
    }
  }
}
