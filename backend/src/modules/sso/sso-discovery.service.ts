import { Injectable } from '@nestjs/common';
import { AppException } from '../../common/errors/domain.exception';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { SsoDiscoveryResponseDto } from './dto/sso-discovery.dto';
import { spUrls } from './sp-urls';

const NO_ONE = { organizationId: null, userId: null };
const NOT_REQUIRED: SsoDiscoveryResponseDto = { ssoRequired: false, loginUrl: null, organizationSlug: null };

/**
 * SSO-first sign-in: tells the sign-in page whether to go straight to an identity provider. It
 * never looks at user accounts, so the answer is the same for every address of a domain and says
 * nothing about whether an account exists. An organization claims a domain by listing it in its
 * allowed e-mail domains (organization settings) while requiring SSO with SSO turned on.
 */
@Injectable()
export class SsoDiscoveryService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly config: AppConfig,
  ) {}

  async discover(query: { email?: string; organization?: string }): Promise<SsoDiscoveryResponseDto> {
    if (!query.email && !query.organization) {
      const message = 'send email or organization';
      throw new AppException('validation_failed', message, { errors: [{ field: 'email', message }] });
    }
    const slug =
      (query.organization && (await this.requiredBySlug(query.organization))) ||
      (query.email && (await this.requiredByDomain(query.email.slice(query.email.lastIndexOf('@') + 1))));
    if (!slug) return NOT_REQUIRED;
    return {
      ssoRequired: true,
      loginUrl: spUrls(this.config.publicUrl, slug).loginUrl,
      organizationSlug: slug,
    };
  }

  /** The slug, when the organization requires SSO and has it turned on. */
  private async requiredBySlug(slug: string): Promise<string | null> {
    const organizationId = await this.transactions.run(NO_ONE, async (em) => {
      await em.query(`SELECT set_config('app.sso_slug', $1, true)`, [slug]);
      const [org]: Array<{ id: string }> = await em.query(`SELECT id FROM organizations WHERE slug = $1`, [
        slug,
      ]);
      return org?.id ?? null;
    });
    return organizationId ? this.requiringSlug(organizationId) : null;
  }

  /**
   * The organizations claiming the domain are visible in this transaction through `app.sso_domain`
   * (migration 1764000700000). Should two claim it, the oldest configuration wins, so the answer
   * stays stable; administrators keep their domains distinct (docs/administration.md).
   */
  private async requiredByDomain(domain: string): Promise<string | null> {
    const organizationId = await this.transactions.run(NO_ONE, async (em) => {
      await em.query(`SELECT set_config('app.sso_domain', $1, true)`, [domain.toLowerCase()]);
      const [row]: Array<{ organization_id: string }> = await em.query(
        `SELECT s.organization_id FROM sso_settings s
           JOIN organization_settings o ON o.organization_id = s.organization_id
          WHERE s.enabled AND s.sso_required AND $1 = ANY (o.allowed_email_domains)
          ORDER BY s.created_at, s.organization_id LIMIT 1`,
        [domain.toLowerCase()],
      );
      return row?.organization_id ?? null;
    });
    return organizationId ? this.requiringSlug(organizationId) : null;
  }

  /** In the organization's own scope: its slug when it requires SSO with SSO turned on. */
  private requiringSlug(organizationId: string): Promise<string | null> {
    return this.transactions.run({ organizationId, userId: null }, async (em) => {
      const [row]: Array<{ slug: string }> = await em.query(
        `SELECT o.slug FROM organizations o JOIN sso_settings s ON s.organization_id = o.id
          WHERE o.id = $1 AND s.enabled AND s.sso_required`,
        [organizationId],
      );
      return row?.slug ?? null;
    });
  }
}
