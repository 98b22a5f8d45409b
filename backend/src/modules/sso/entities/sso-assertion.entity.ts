import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An assertion id already accepted; kept until the assertion expires so a replay is refused. */
@Entity({ name: 'sso_assertions' })
export class SsoAssertion {
  @PrimaryColumn('uuid', { name: 'organization_id' })
  organizationId: string;

  @PrimaryColumn('text', { name: 'assertion_id' })
  assertionId: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
