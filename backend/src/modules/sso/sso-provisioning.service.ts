import { Injectable } from '@nestjs/common';
import type { Profile } from '@node-saml/node-saml';
import { EntityManager, LessThan } from 'typeorm';
import type { Role } from '../../common/context/request-context';
import { newSecret, sha256 } from '../../common/security/tokens';
import { isUniqueViolation } from '../../database/errors';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { BillingException } from '../billing/billing.errors';
import { Organization } from '../organizations/entities/organization.entity';
import { OrganizationSettingsService } from '../organizations/organization-settings.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { User } from '../users/entities/user.entity';
import { SsoAssertion } from './entities/sso-assertion.entity';
import { SsoLoginCode } from './entities/sso-login-code.entity';
import { SsoSettings } from './entities/sso-settings.entity';
import { mapRole, readIdentity } from './saml-identity';
import { SsoFailure } from './sso.errors';

/** The console must exchange the one-time code within this time. */
export const LOGIN_CODE_TTL_MS = 60_000;

export interface SsoContext {
  org: Organization;
  settings: SsoSettings;
}

export type ValidProfile = Profile & {
  assertionId: string;
  expiresAt: Date;
  /** The AuthnRequest id the response answers, or null for an unsolicited response. */
  answers: string | null;
};

/**
 * Signs in the user of an assertion SamlService has validated: records the assertion id (replay),
 * answers the AuthnRequest once, provisions the account and membership just in time and issues
 * the one-time code the console trades for a session.
 */
@Injectable()
export class SsoProvisioningService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly organizations: OrganizationsService,
    private readonly settings: OrganizationSettingsService,
  ) {}

  /** Records the assertion id, provisions the user and issues a one-time code, in one transaction. */
  async signIn(ctx: SsoContext, profile: ValidProfile): Promise<string> {
    const { org, settings } = ctx;
    const identity = readIdentity(profile, settings.attributeMapping);
    if (!identity.email) throw new SsoFailure('missing_email', 'The assertion carries no e-mail address');
    const code = newSecret();
    try {
      await this.transactions.run({ organizationId: org.id, userId: null }, async (em) => {
        // Housekeeping on the way: expired replay records and sign-in codes are of no use any more.
        await em.delete(SsoAssertion, { organizationId: org.id, expiresAt: LessThan(new Date()) });
        await em.delete(SsoLoginCode, { organizationId: org.id, expiresAt: LessThan(new Date()) });
        await em.insert(SsoAssertion, {
          organizationId: org.id,
          assertionId: profile.assertionId,
          expiresAt: profile.expiresAt,
        });
        // After the assertion id, so a replay is reported as one, not as a request already answered.
        await this.consumeRequest(em, ctx, profile.answers);
        const user = await this.provision(em, ctx, identity, mapRole(identity.roleValues, settings));
        await em.insert(SsoLoginCode, {
          organizationId: org.id,
          userId: user.id,
          codeHash: sha256(code),
          expiresAt: new Date(Date.now() + LOGIN_CODE_TTL_MS),
        });
        await this.audit.record({
          actor: { type: 'user', id: user.id, email: user.email },
          action: 'auth.login',
          target: { type: 'user', id: user.id },
          changes: { method: 'sso', idpEntityId: settings.idpEntityId },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err, 'sso_assertions_pkey'))
        throw new SsoFailure('replayed', `Assertion ${profile.assertionId} was already used`, {
          type: 'user',
          id: null,
          email: identity.email,
        });
      throw err;
    }
    return code;
  }

  /**
   * Finds or creates the account and its membership. A new e-mail gets an account (verified by the
   * IdP, no password) and a membership; an existing account must already be a member: an
   * organization's IdP may not take over an account that never joined it.
   */
  private async provision(
    em: EntityManager,
    { org }: SsoContext,
    identity: { email: string; name: string },
    role: Role,
  ): Promise<User> {
    const existing = await this.auth.findAccount(em, identity.email);
    if (existing) {
      if (!(await this.organizations.isMember(em, org.id, existing.id)))
        throw new SsoFailure(
          'account_exists',
          'An account with this e-mail exists but is not a member; accept an invitation first',
          { type: 'user', id: existing.id, email: existing.email },
        );
      return existing;
    }
    // Just-in-time accounts only for the organization's allowed e-mail domains (when it lists any).
    if (!OrganizationSettingsService.allowsEmail(await this.settings.get(org.id), identity.email))
      throw new SsoFailure(
        'domain_not_allowed',
        "The e-mail domain is not among the organization's allowed domains",
        {
          type: 'user',
          id: null,
          email: identity.email,
        },
      );
    const user = await this.auth.createVerifiedAccount(em, identity, 'sso');
    try {
      await this.organizations.addMember(em, {
        organizationId: org.id,
        userId: user.id,
        role,
        actor: { type: 'user', id: user.id, email: user.email },
        changes: { via: 'sso' },
      });
    } catch (err) {
      // The organization's plan has no room for another member: nothing is provisioned.
      if (err instanceof BillingException && err.code === 'plan_limit_reached')
        throw new SsoFailure('plan_limit_reached', err.message, {
          type: 'user',
          id: null,
          email: identity.email,
        });
      throw err;
    }
    return user;
  }

  /**
   * Takes the AuthnRequest the response answers out of the issued ones (so it answers only once),
   * or accepts an unsolicited response when the organization allows IdP-initiated sign-in.
   */
  private async consumeRequest(em: EntityManager, ctx: SsoContext, requestId: string | null): Promise<void> {
    if (!requestId) {
      if (ctx.settings.allowIdpInitiated) return;
      throw new SsoFailure(
        'unsolicited',
        'The response answers no sign-in started here, and IdP-initiated sign-in is off',
      );
    }
    // One statement takes the row: of two posts answering the same request, only one gets it.
    const [{ n }]: Array<{ n: number }> = await em.query(
      `WITH taken AS (
         DELETE FROM sso_requests WHERE organization_id = $1 AND request_id = $2 AND expires_at > now()
         RETURNING 1)
       SELECT count(*)::int AS n FROM taken`,
      [ctx.org.id, requestId],
    );
    if (!n)
      throw new SsoFailure(
        'unknown_request',
        `InResponseTo "${requestId.slice(0, 100)}" names no open sign-in request (unknown, used or expired)`,
      );
  }
}
