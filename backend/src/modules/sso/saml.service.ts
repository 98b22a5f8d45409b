import { Injectable, Logger } from '@nestjs/common';
import {
  generateServiceProviderMetadata,
  SAML,
  SamlStatusError,
  ValidateInResponseTo,
} from '@node-saml/node-saml';
import type { Profile } from '@node-saml/node-saml';
import { notFound } from '../../common/errors/domain.exception';
import { newSecret, sha256 } from '../../common/security/tokens';
import { FailureCounters } from '../../common/security/failure-counters';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions.service';
import { Organization } from '../organizations/entities/organization.entity';
import { SamlExchangeResponseDto } from './dto/saml.dto';
import { ORG_SLUG } from './dto/sso-discovery.dto';
import { SsoLoginCode } from './entities/sso-login-code.entity';
import { SsoSettings } from './entities/sso-settings.entity';
import { REDIRECT_BINDING } from './idp-metadata';
import { storedCertificates } from './sso-settings.service';
import { spUrls } from './sp-urls';
import { SsoContext, SsoProvisioningService, ValidProfile } from './sso-provisioning.service';
import { SsoException, SsoFailure, SsoFailureCode } from './sso.errors';

/** Assertions are accepted up to this far outside their validity window (clock drift). */
export const CLOCK_SKEW_MS = 2 * 60_000;
/** How long an AuthnRequest we issued may be answered: time enough for the IdP's own sign-in and MFA. */
export const REQUEST_TTL_MS = 10 * 60_000;
const EMAIL_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const NO_ONE = { organizationId: null, userId: null };

/**
 * SAML 2.0 service provider per organization, on `@node-saml/node-saml` (the engine under
 * passport-saml's MultiSamlStrategy): the IdP settings are read from the organization's row on
 * every request, responses must carry a valid signature (on the Response or the Assertion), the
 * audience must be this organization's SP, clock skew is bounded, and each assertion id is
 * accepted once. A good response provisions the user just in time and hands the console a
 * one-time code; every failure ends on the sign-in page with a reason and an audit event.
 */
@Injectable()
export class SamlService {
  private readonly logger = new Logger(SamlService.name);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
    private readonly limiter: FailureCounters,
    private readonly provisioning: SsoProvisioningService,
  ) {}

  /** SP metadata for the organization (served whether or not an IdP is configured yet). */
  async metadata(slug: string): Promise<string> {
    const org = await this.findOrganization(slug);
    if (!org) throw notFound('Organization');
    const sp = spUrls(this.config.publicUrl, org.slug);
    return generateServiceProviderMetadata({
      issuer: sp.entityId,
      callbackUrl: sp.acsUrl,
      identifierFormat: EMAIL_NAME_ID,
      wantAssertionsSigned: true,
    });
  }

  /**
   * Where to send the browser to sign in: the IdP with an AuthnRequest, or back with an error.
   * Nothing was attempted yet, so a refusal here is logged but not audited.
   */
  async loginRedirect(slug: string, returnTo?: string): Promise<string> {
    try {
      const { org, settings } = await this.load(slug);
      const relayState = safeReturnPath(returnTo) ?? '';
      // The id is recorded before the browser leaves, so the response can be matched to it (once).
      const requestId = `_${newSecret()}`;
      await this.transactions.run({ organizationId: org.id, userId: null }, async (em) => {
        await em.query(`DELETE FROM sso_requests WHERE organization_id = $1 AND expires_at < now()`, [
          org.id,
        ]);
        await em.query(
          `INSERT INTO sso_requests (organization_id, request_id, expires_at) VALUES ($1, $2, $3)`,
          [org.id, requestId, new Date(Date.now() + REQUEST_TTL_MS)],
        );
      });
      return await this.samlFor(org, settings, requestId).getAuthorizeUrlAsync(relayState, undefined, {});
    } catch (err) {
      const failure = asFailure(err);
      this.log(slug, err, failure);
      return this.failureUrl(failure.code);
    }
  }

  /**
   * Handles the IdP's POST; always answers with a URL to redirect to (303), never an error page.
   * Failures count against the caller's IP like password sign-in failures: past the limit, posts
   * are refused unread, so nobody can flood an organization's audit trail anonymously.
   */
  async acs(slug: string, body: Record<string, unknown>, ip: string | null): Promise<string> {
    const ipKey = `sso:ip:${ip ?? 'unknown'}`;
    if ((await this.limiter.peek(ipKey)).count >= this.config.loginMaxFailures) {
      this.logger.warn({ slug }, 'SSO sign-in refused: too many failures from this address');
      return this.failureUrl('rate_limited');
    }
    try {
      const ctx = await this.load(slug);
      const samlResponse = body?.SAMLResponse;
      if (typeof samlResponse !== 'string' || !samlResponse)
        throw new SsoFailure('invalid_response', 'The POST carries no SAMLResponse');
      const profile = await this.validate(ctx, samlResponse);
      const code = await this.provisioning.signIn(ctx, profile);
      const returnTo = safeReturnPath(typeof body.RelayState === 'string' ? body.RelayState : undefined);
      const url = new URL(`${this.config.publicUrl}/sso/callback`);
      url.searchParams.set('code', code);
      if (returnTo) url.searchParams.set('returnTo', returnTo);
      return url.toString();
    } catch (err) {
      await this.limiter.hit(ipKey, this.config.loginLockoutSeconds);
      return this.failureUrl(await this.fail(slug, err));
    }
  }

  /** Trades a one-time code for a session, exactly like a password sign-in's tokens. */
  async exchange(code: string): Promise<SamlExchangeResponseDto> {
    const codeHash = sha256(code);
    const row = await this.transactions.run({ ...NO_ONE, tokenHash: codeHash }, async (em) => {
      const found = await em.findOne(SsoLoginCode, {
        where: { codeHash },
        lock: { mode: 'pessimistic_write' },
      });
      if (!found || found.usedAt || found.expiresAt.getTime() <= Date.now()) return null;
      await em.update(SsoLoginCode, { id: found.id }, { usedAt: new Date() });
      return found;
    });
    if (!row)
      throw new SsoException(
        'sso_code_invalid',
        'The sign-in code is not valid, was already used or has expired',
      );
    // The session acts only in the organization whose IdP vouched for the user (issue 16, item 10).
    const tokens = await this.sessions.startSessionFor(row.userId, row.organizationId);
    return { ...tokens, organizationId: row.organizationId };
  }

  private async load(slug: string): Promise<SsoContext> {
    const org = await this.findOrganization(slug);
    if (!org) throw new SsoFailure('not_configured', `No organization has the slug "${slug}"`);
    const settings = await this.transactions.run({ organizationId: org.id, userId: null }, (em) =>
      em.findOneBy(SsoSettings, { organizationId: org.id }),
    );
    if (!settings) throw new SsoFailure('not_configured', 'SSO is not configured for this organization');
    if (!settings.enabled) throw new SsoFailure('disabled', 'SSO is turned off for this organization');
    return { org, settings };
  }

  /** The public SAML routes name an organization by slug; only that one row becomes visible. */
  private async findOrganization(slug: string): Promise<Organization | null> {
    if (!ORG_SLUG.test(slug)) return null;
    return this.transactions.run(NO_ONE, async (em) => {
      await em.query(`SELECT set_config('app.sso_slug', $1, true)`, [slug]);
      return em.findOneBy(Organization, { slug });
    });
  }

  private samlFor(org: Organization, settings: SsoSettings, requestId?: string): SAML {
    const sp = spUrls(this.config.publicUrl, org.slug);
    return new SAML({
      ...(requestId ? { generateUniqueId: () => requestId } : {}),
      issuer: sp.entityId,
      callbackUrl: sp.acsUrl,
      audience: sp.entityId,
      entryPoint: settings.idpSsoUrl,
      authnRequestBinding: REDIRECT_BINDING,
      idpCert: storedCertificates(settings.idpCertificate),
      idpIssuer: settings.idpEntityId,
      // Either signature suffices, but one is required: with both flags off, node-saml still
      // refuses an assertion that is neither inside a signed Response nor signed itself.
      wantAuthnResponseSigned: false,
      wantAssertionsSigned: false,
      acceptedClockSkewMs: CLOCK_SKEW_MS,
      identifierFormat: EMAIL_NAME_ID,
      disableRequestedAuthnContext: true,
      // InResponseTo is checked by SsoProvisioningService.signIn against the requests in the
      // database (across instances, once each, atomically), not by node-saml's per-process cache.
      validateInResponseTo: ValidateInResponseTo.never,
      signatureAlgorithm: 'sha256',
    });
  }

  private async validate(ctx: SsoContext, samlResponse: string): Promise<ValidProfile> {
    let profile: Profile | null;
    try {
      ({ profile } = await this.samlFor(ctx.org, ctx.settings).validatePostResponseAsync({
        SAMLResponse: samlResponse,
      }));
    } catch (err) {
      throw classify(err);
    }
    if (!profile) throw new SsoFailure('invalid_response', 'The response carries no assertion');
    if (profile.issuer !== ctx.settings.idpEntityId)
      throw new SsoFailure(
        'wrong_issuer',
        `The assertion was issued by "${profile.issuer ?? 'nobody'}", not the configured IdP`,
      );
    const assertion = (profile.getAssertion?.() as { Assertion?: SamlAssertionJs } | undefined)?.Assertion;
    const assertionId = assertion?.$?.ID;
    if (!assertionId) throw new SsoFailure('invalid_response', 'The assertion has no ID');
    const expiries = [
      assertion.Conditions?.[0]?.$?.NotOnOrAfter,
      ...(assertion.Subject?.[0]?.SubjectConfirmation ?? []).map(
        (c) => c.SubjectConfirmationData?.[0]?.$?.NotOnOrAfter,
      ),
    ]
      .filter((v): v is string => typeof v === 'string')
      .map((v) => Date.parse(v))
      .filter((v) => Number.isFinite(v));
    // Without an expiry the replay record could never be dropped safely, so such assertions are refused.
    if (!expiries.length) throw new SsoFailure('invalid_response', 'The assertion carries no NotOnOrAfter');
    return Object.assign(profile, {
      assertionId,
      expiresAt: new Date(Math.max(...expiries) + CLOCK_SKEW_MS),
      answers: answeredRequest(
        typeof profile.inResponseTo === 'string' ? profile.inResponseTo : null,
        assertion,
      ),
    });
  }

  private log(slug: string, err: unknown, failure: SsoFailure): void {
    if (!(err instanceof SsoFailure)) this.logger.error({ err, slug }, 'SSO sign-in failed unexpectedly');
    else this.logger.warn({ slug, reason: failure.code, detail: failure.message }, 'SSO sign-in refused');
  }

  /** Logs and audits a failure (in the organization when it is known) and returns its code. */
  private async fail(slug: string, err: unknown): Promise<SsoFailureCode> {
    const failure = asFailure(err);
    this.log(slug, err, failure);
    try {
      const org = await this.findOrganization(slug);
      if (org) {
        await this.transactions.run({ organizationId: org.id, userId: null }, () =>
          this.audit.record({
            actor: failure.actor ?? { type: 'system', id: null },
            action: 'auth.login_failed',
            target: { type: 'user', id: failure.actor?.id ?? null },
            changes: { method: 'sso', reason: failure.code, detail: failure.message.slice(0, 300) },
          }),
        );
      }
    } catch (auditErr) {
      this.logger.error({ err: auditErr, slug }, 'could not audit a failed SSO sign-in');
    }
    return failure.code;
  }

  private failureUrl(code: SsoFailureCode): string {
    return `${this.config.publicUrl}/sign-in?ssoError=${code}`;
  }
}

interface SamlAssertionJs {
  $?: { ID?: string };
  Conditions?: Array<{ $?: { NotOnOrAfter?: string } }>;
  Subject?: Array<{
    SubjectConfirmation?: Array<{
      SubjectConfirmationData?: Array<{ $?: { NotOnOrAfter?: string; InResponseTo?: string } }>;
    }>;
  }>;
}

/**
 * The request a response answers. The assertion's SubjectConfirmationData is covered by the
 * assertion's signature, the Response's attribute perhaps not (when only the assertion is signed),
 * so the two must agree when both are present: otherwise a signed assertion could be rewrapped to
 * answer another request.
 */
export function answeredRequest(
  responseInResponseTo: string | undefined | null,
  assertion: SamlAssertionJs | undefined,
): string | null {
  const inAssertion = [
    ...new Set(
      (assertion?.Subject?.[0]?.SubjectConfirmation ?? [])
        .map((c) => c.SubjectConfirmationData?.[0]?.$?.InResponseTo)
        .filter((v): v is string => typeof v === 'string' && v !== ''),
    ),
  ];
  const inResponse = responseInResponseTo || null;
  if (inAssertion.length > 1)
    throw new SsoFailure('invalid_response', 'The assertion answers several different requests');
  if (inAssertion.length && inResponse && inAssertion[0] !== inResponse)
    throw new SsoFailure('invalid_response', 'The Response and its assertion answer different requests');
  return inAssertion[0] ?? inResponse;
}

const asFailure = (err: unknown) =>
  err instanceof SsoFailure ? err : new SsoFailure('server_error', 'The sign-in could not be completed');

/** Maps node-saml's validation errors to the reasons the console and the audit trail name. */
export function classify(err: unknown): SsoFailure {
  if (err instanceof SamlStatusError) return new SsoFailure('idp_error', err.message);
  const message = err instanceof Error ? err.message : String(err);
  if (/expired|not yet valid/i.test(message)) return new SsoFailure('expired', message);
  if (/audience/i.test(message)) return new SsoFailure('wrong_audience', message);
  if (/signature/i.test(message)) return new SsoFailure('invalid_signature', message);
  if (/issuer/i.test(message)) return new SsoFailure('wrong_issuer', message);
  return new SsoFailure('invalid_response', message);
}

/** Only same-site paths survive as a return target ("/x", not "//host" or "https://…"). */
export function safeReturnPath(value: string | undefined): string | null {
  if (!value || value.length > 1000) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  return [...value].some((c) => c.charCodeAt(0) < 0x20) ? null : value;
}
