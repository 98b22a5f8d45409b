import { Injectable } from '@nestjs/common';
import { can } from '../../authz/require-access';
import { DEFAULT_SSO_ROLE, type NonOwnerRole } from '../../authz/roles';
import { ROLES, type Caller, type Role } from '../../common/context/request-context';
import { FieldError, notFound, AppException } from '../../common/errors/domain.exception';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { PutSsoSettingsDto } from './dto/sso-settings.dto';
import { SsoSettingsResponseDto } from './dto/sso-settings.response.dto';
import { SsoSettings } from './entities/sso-settings.entity';
import {
  assertHttpUrl,
  certificateFingerprints,
  fetchIdpMetadata,
  IdpMetadata,
  joinCertificates,
  parseCertificates,
  parseIdpMetadata,
} from './idp-metadata';
import { spUrls } from './sp-urls';

const DEFAULT_ATTRIBUTES = { email: 'email', name: 'name', role: null };
const MAX_ROLE_MAPPINGS = 100;

/** Splits stored PEM text into its certificates. */
export const storedCertificates = (text: string) =>
  text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];

/**
 * The per-organization SAML configuration, managed by OWNER and ADMIN. IdP data comes from
 * uploaded metadata, a metadata URL the server fetches, or explicit fields; SSO never creates an
 * OWNER unless an OWNER put that mapping in place.
 */
@Injectable()
export class SsoSettingsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly organizations: OrganizationsService,
    private readonly config: AppConfig,
  ) {}

  async get(organizationId: string): Promise<SsoSettingsResponseDto> {
    const em = this.transactions.manager;
    const org = await this.organizations.get(organizationId);
    const settings = await em.findOneBy(SsoSettings, { organizationId });
    return this.toDto(org.slug, settings);
  }

  async put(caller: Caller, dto: PutSsoSettingsDto): Promise<SsoSettingsResponseDto> {
    const { organizationId } = caller;
    const em = this.transactions.manager;
    const org = await this.organizations.get(organizationId);
    const current = await em.findOne(SsoSettings, {
      where: { organizationId },
      lock: { mode: 'pessimistic_write' },
    });
    const idp = await this.resolveIdp(dto, current);
    const roleMapping = dto.roleMapping !== undefined ? this.checkRoleMapping(dto.roleMapping) : undefined;
    if (roleMapping) refuseUngrantableMappings(caller, roleMapping, current?.roleMapping ?? {});

    const next: Partial<SsoSettings> = {
      organizationId,
      enabled: dto.enabled ?? current?.enabled ?? true,
      idpEntityId: idp.entityId,
      idpSsoUrl: idp.ssoUrl,
      idpCertificate: joinCertificates(idp.certificates),
      metadataUrl: idp.metadataUrl,
      attributeMapping: dto.attributeMapping
        ? {
            email: dto.attributeMapping.email,
            name: dto.attributeMapping.name,
            role: dto.attributeMapping.role || null,
          }
        : (current?.attributeMapping ?? DEFAULT_ATTRIBUTES),
      roleMapping: roleMapping ?? current?.roleMapping ?? {},
      defaultRole: dto.defaultRole ?? current?.defaultRole ?? DEFAULT_SSO_ROLE,
      ssoRequired: dto.ssoRequired ?? current?.ssoRequired ?? false,
      allowIdpInitiated: dto.allowIdpInitiated ?? current?.allowIdpInitiated ?? false,
      updatedBy: caller.userId,
    };
    if (current) await em.update(SsoSettings, { organizationId }, next);
    else await em.insert(SsoSettings, next);
    const saved = await em.findOneByOrFail(SsoSettings, { organizationId });

    // The certificate is public, but fingerprints are what a reviewer compares; nothing secret exists here.
    await this.audit.record({
      action: 'sso.configured',
      target: { type: 'sso_settings', id: organizationId },
      changes: {
        created: !current,
        enabled: saved.enabled,
        idpEntityId: saved.idpEntityId,
        idpSsoUrl: saved.idpSsoUrl,
        metadataUrl: saved.metadataUrl,
        idpCertificateFingerprints: certificateFingerprints(storedCertificates(saved.idpCertificate)),
        attributeMapping: saved.attributeMapping,
        roleMapping: saved.roleMapping,
        defaultRole: saved.defaultRole,
        ssoRequired: saved.ssoRequired,
        allowIdpInitiated: saved.allowIdpInitiated,
      },
    });
    return this.toDto(org.slug, saved);
  }

  async remove(organizationId: string): Promise<void> {
    const em = this.transactions.manager;
    const current = await em.findOneBy(SsoSettings, { organizationId });
    if (!current) throw notFound('SSO configuration');
    await em.delete(SsoSettings, { organizationId });
    await this.audit.record({
      action: 'sso.removed',
      target: { type: 'sso_settings', id: organizationId },
      changes: { idpEntityId: current.idpEntityId },
    });
  }

  private async resolveIdp(
    dto: PutSsoSettingsDto,
    current: SsoSettings | null,
  ): Promise<IdpMetadata & { metadataUrl: string | null }> {
    const explicit =
      dto.idpEntityId !== undefined || dto.idpSsoUrl !== undefined || dto.idpCertificate !== undefined;
    const sources = [dto.metadataXml !== undefined, dto.metadataUrl !== undefined, explicit].filter(
      Boolean,
    ).length;
    if (sources > 1) {
      const message = 'Send only one of metadataXml, metadataUrl or the explicit IdP fields';
      throw new AppException('validation_failed', message, {
        errors: ['metadataXml', 'metadataUrl', 'idpEntityId']
          .filter((f) => (f === 'idpEntityId' ? explicit : dto[f as keyof PutSsoSettingsDto] !== undefined))
          .map((field) => ({ field, message })),
      });
    }
    if (dto.metadataXml !== undefined) return { ...parseIdpMetadata(dto.metadataXml), metadataUrl: null };
    if (dto.metadataUrl !== undefined) {
      const fetched = await fetchIdpMetadata(dto.metadataUrl, {
        allowPrivate: this.config.ssoMetadataAllowPrivate,
      });
      return { ...fetched, metadataUrl: dto.metadataUrl };
    }
    const errors: FieldError[] = [];
    const entityId = dto.idpEntityId ?? current?.idpEntityId;
    const ssoUrl = dto.idpSsoUrl ?? current?.idpSsoUrl;
    const certificate = dto.idpCertificate ?? current?.idpCertificate;
    if (!entityId)
      errors.push({
        field: 'idpEntityId',
        message: 'idpEntityId is required (or send metadataXml / metadataUrl)',
      });
    if (!ssoUrl)
      errors.push({
        field: 'idpSsoUrl',
        message: 'idpSsoUrl is required (or send metadataXml / metadataUrl)',
      });
    if (!certificate)
      errors.push({
        field: 'idpCertificate',
        message: 'idpCertificate is required (or send metadataXml / metadataUrl)',
      });
    if (errors.length)
      throw new AppException('validation_failed', 'The identity provider is not configured', {
        errors: errors,
      });
    if (dto.idpSsoUrl !== undefined) assertHttpUrl(dto.idpSsoUrl, 'idpSsoUrl');
    const certificates =
      dto.idpCertificate !== undefined
        ? parseCertificates(dto.idpCertificate)
        : storedCertificates(certificate!);
    // Explicit edits detach the configuration from the metadata URL it may have come from.
    return {
      entityId: entityId!,
      ssoUrl: ssoUrl!,
      certificates,
      metadataUrl: explicit ? null : (current?.metadataUrl ?? null),
    };
  }

  private checkRoleMapping(mapping: Record<string, unknown>): Record<string, Role> {
    const errors: FieldError[] = [];
    const entries = Object.entries(mapping);
    if (entries.length > MAX_ROLE_MAPPINGS)
      errors.push({
        field: 'roleMapping',
        message: `roleMapping may have at most ${MAX_ROLE_MAPPINGS} entries`,
      });
    for (const [key, value] of entries) {
      if (!key.trim() || key.length > 200)
        errors.push({ field: `roleMapping.${key}`, message: 'IdP values must be 1 to 200 characters' });
      if (typeof value !== 'string' || !ROLES.includes(value as Role))
        errors.push({ field: `roleMapping.${key}`, message: `must be one of ${ROLES.join(', ')}` });
    }
    if (errors.length)
      throw new AppException('validation_failed', 'roleMapping is invalid', { errors: errors });
    return Object.fromEntries(entries.map(([k, v]) => [k.trim(), v as Role]));
  }

  private toDto(slug: string, s: SsoSettings | null): SsoSettingsResponseDto {
    const sp = spUrls(this.config.publicUrl, slug);
    if (!s) {
      return {
        configured: false,
        enabled: false,
        idpEntityId: null,
        idpSsoUrl: null,
        idpCertificate: null,
        idpCertificateFingerprints: [],
        metadataUrl: null,
        attributeMapping: DEFAULT_ATTRIBUTES,
        roleMapping: {},
        defaultRole: DEFAULT_SSO_ROLE,
        ssoRequired: false,
        allowIdpInitiated: false,
        sp,
      };
    }
    const certs = storedCertificates(s.idpCertificate);
    return {
      configured: true,
      enabled: s.enabled,
      idpEntityId: s.idpEntityId,
      idpSsoUrl: s.idpSsoUrl,
      idpCertificate: s.idpCertificate,
      idpCertificateFingerprints: certificateFingerprints(certs),
      metadataUrl: s.metadataUrl,
      attributeMapping: {
        email: s.attributeMapping.email,
        name: s.attributeMapping.name,
        role: s.attributeMapping.role ?? null,
      },
      roleMapping: s.roleMapping,
      defaultRole: s.defaultRole as NonOwnerRole,
      ssoRequired: s.ssoRequired,
      allowIdpInitiated: s.allowIdpInitiated,
      sp,
    };
  }
}

/**
 * A mapping grants its role to whoever the IdP sends with that value, so adding or retargeting one
 * needs the right to grant that role (only an OWNER grants OWNER). Mappings an OWNER made may stay
 * when an ADMIN edits the others.
 */
function refuseUngrantableMappings(
  caller: Caller,
  next: Record<string, Role>,
  current: Record<string, Role>,
): void {
  const added = Object.entries(next).filter(([key, role]) => current[key] !== role);
  if (added.some(([, role]) => !can(caller, 'create', { __type: 'Member', role })))
    throw new AppException('forbidden', 'Only an OWNER may map IdP values to the OWNER role');
}
