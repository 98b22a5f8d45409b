import type { DataSourceOptions } from 'typeorm';
import { AuditEvent } from '../modules/audit/entities/audit-event.entity';
import { Membership } from '../modules/organizations/entities/membership.entity';
import { Organization } from '../modules/organizations/entities/organization.entity';
import { OutboxEvent } from '../modules/outbox/entities/outbox-event.entity';
import { User } from '../modules/users/entities/user.entity';
import { Foundation1763900000000 } from './migrations/1763900000000-foundation';

export const ENTITIES = [User, Organization, Membership, AuditEvent, OutboxEvent];
/** Listed explicitly (not globbed) so ts-jest/swc, the Nest build and the CLI all see the same set. */
export const MIGRATIONS = [Foundation1763900000000];

export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    poolSize,
    applicationName: 'prompt-vault',
  };
}
