import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager, IsNull } from 'typeorm';
import type { AccessTokenClaims } from '../../authz/credentials';
import { newSecret, sha256 } from '../../common/security/tokens';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { OrganizationSettingsService } from '../organizations/organization-settings.service';
import { User } from '../users/entities/user.entity';
import { TokenResponseDto } from './dto/auth.response.dto';
import { RefreshToken } from './entities/refresh-token.entity';
import { AuthException } from './auth.errors';
import { HOUR, NO_ORG, accountGone } from './accounts';
import { SessionRevocations } from './session-revocations';

/**
 * Session lifecycle: a session is a family of rotating refresh tokens with reuse detection; its
 * access tokens carry the family as `sid`, so ending the family ends them too.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly revocations: SessionRevocations,
    private readonly settings: OrganizationSettingsService,
  ) {}

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

  /** A new session (an unscoped token family) for `user`, in `em`. */
  async startSession(em: EntityManager, user: User): Promise<TokenResponseDto> {
    return (await this.issue(em, user, randomUUID())).tokens;
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
      if (await this.outlived(current)) {
        await em.update(
          RefreshToken,
          { familyId: current.familyId, revokedAt: IsNull() },
          { revokedAt: new Date() },
        );
        return {
          error: 'refresh_token_expired',
          detail: "The session reached the organization's session lifetime; sign in again",
          endedSession: current.familyId,
        } as const;
      }
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
   * Whether the session (the token family) is older than the session lifetime its organizations
   * set (organization settings, `sessionTtlMinutes`): the shortest among the one it is scoped to,
   * or all of the user's. Checked at every refresh, so a session ends at most one access-token
   * lifetime after its limit.
   */
  private async outlived(token: RefreshToken): Promise<boolean> {
    await this.transactions.rescope({ organizationId: null, userId: token.userId });
    const minutes = await this.settings.sessionLifetimeMinutes(token.userId, token.organizationScope);
    if (minutes === null) return false;
    const [{ started }]: Array<{ started: Date }> = await this.transactions.manager.query(
      `SELECT min(created_at) AS started FROM refresh_tokens WHERE family_id = $1`,
      [token.familyId],
    );
    return Date.now() - new Date(started).getTime() > minutes * 60_000;
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

  /**
   * Revokes the refresh tokens of every live session of the user except `keep`, and returns those
   * sessions, whose access tokens the caller ends once this transaction has committed.
   */
  async endSessions(em: EntityManager, userId: string, keep: string | null): Promise<string[]> {
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
}
