import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../../../common/context/request-context';

/** Which SAML attributes carry the user's e-mail, name and (optionally) role. */
export interface SsoAttributeMapping {
  email: string;
  /** One attribute, or several separated by spaces whose values are joined (e.g. `firstName lastName`). */
  name: string;
  role?: string | null;
}

/** One organization's SAML identity provider and how its users become members. */
@Entity({ name: 'sso_settings' })
export class SsoSettings {
  @PrimaryColumn('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('boolean')
  enabled: boolean;

  @Column('text', { name: 'idp_entity_id' })
  idpEntityId: string;

  @Column('text', { name: 'idp_sso_url' })
  idpSsoUrl: string;

  /** One or more PEM certificates (several during a key rollover). */
  @Column('text', { name: 'idp_certificate' })
  idpCertificate: string;

  @Column('text', { name: 'metadata_url', nullable: true })
  metadataUrl: string | null;

  @Column('jsonb', { name: 'attribute_mapping' })
  attributeMapping: SsoAttributeMapping;

  @Column('jsonb', { name: 'role_mapping' })
  roleMapping: Record<string, Role>;

  @Column('text', { name: 'default_role' })
  defaultRole: Role;

  @Column('boolean', { name: 'sso_required' })
  ssoRequired: boolean;

  /** Accept responses that answer no AuthnRequest of ours (IdP-initiated sign-in). */
  @Column('boolean', { name: 'allow_idp_initiated' })
  allowIdpInitiated: boolean;

  @Column('uuid', { name: 'updated_by', nullable: true })
  updatedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
