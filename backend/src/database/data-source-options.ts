import type { DataSourceOptions } from 'typeorm';
import { AuditEvent } from '../modules/audit/entities/audit-event.entity';
import { Membership } from '../modules/organizations/entities/membership.entity';
import { Organization } from '../modules/organizations/entities/organization.entity';
import { OutboxEvent } from '../modules/outbox/entities/outbox-event.entity';
import { User } from '../modules/users/entities/user.entity';
import { ApiKey } from '../modules/api-keys/entities/api-key.entity';
import { EmailToken } from '../modules/auth/entities/email-token.entity';
import { RefreshToken } from '../modules/auth/entities/refresh-token.entity';
import { Invite } from '../modules/organizations/entities/invite.entity';
import { Foundation1763900000000 } from './migrations/1763900000000-foundation';
import { Identity1763900100000 } from './migrations/1763900100000-identity';
import { PromptLibrary1763900200000 } from './migrations/1763900200000-prompt-library';
import { Search1763900400000 } from './migrations/1763900400000-search';
import { SearchPerformance1763900500000 } from './migrations/1763900500000-search-performance';
import { LabelMoveSequence1763900600000 } from './migrations/1763900600000-label-move-sequence';
import {
  RecentSearch,
  SavedSearch,
  SearchSubscription,
} from '../modules/search/entities/saved-search.entity';
import { PromptListIndexes1763900250000 } from './migrations/1763900250000-prompt-list-indexes';
import { ActivityIndexes1763900260000 } from './migrations/1763900260000-activity-indexes';
import { Sso1763900300000 } from './migrations/1763900300000-sso';
import { SsoScope1763900650000 } from './migrations/1763900650000-sso-scope';
import { Billing1763900700000 } from './migrations/1763900700000-billing';
import { BillingUsage1763900710000 } from './migrations/1763900710000-billing-usage';
import { ProviderKeys1763900800000 } from './migrations/1763900800000-provider-keys';
import { Runs1763900900000 } from './migrations/1763900900000-runs';
import { Webhooks1763901000000 } from './migrations/1763901000000-webhooks';
import { AuditRetention1763901100000 } from './migrations/1763901100000-audit-retention';
import { Privacy1763901200000 } from './migrations/1763901200000-privacy';
import { WebhookSecretsRotation1763901300000 } from './migrations/1763901300000-webhook-secrets-rotation';
import { OrganizationSettings1764000000000 } from './migrations/1764000000000-organization-settings';
import { Evaluations1764000100000 } from './migrations/1764000100000-evaluations';
import { TestRuns1764000200000 } from './migrations/1764000200000-test-runs';
import { Analytics1764000300000 } from './migrations/1764000300000-analytics';
import { Transfer1764000500000 } from './migrations/1764000500000-transfer';
import { SettingsOutsideTenant1764000700000 } from './migrations/1764000700000-settings-outside-tenant';
import { OrganizationModelPrices1764000800000 } from './migrations/1764000800000-organization-model-prices';
import { CollectionBudgets1764000850000 } from './migrations/1764000850000-collection-budgets';
import { UsageRollupsCovering1764001000000 } from './migrations/1764001000000-usage-rollups-covering';
import { UsageRollupsMonthly1764001100000 } from './migrations/1764001100000-usage-rollups-monthly';
import { SearchTagsUnchanged1764001200000 } from './migrations/1764001200000-search-tags-unchanged';
import { UsageRollupsOrganization1764001300000 } from './migrations/1764001300000-usage-rollups-organization';
import { SearchWordsPerStatement1764001400000 } from './migrations/1764001400000-search-words-per-statement';
import { ImportCounts1764001500000 } from './migrations/1764001500000-import-counts';
import { OutboxSequence1764001600000 } from './migrations/1764001600000-outbox-sequence';
import { OutboxRetention1764001700000 } from './migrations/1764001700000-outbox-retention';
import { ImportLanes1764001800000 } from './migrations/1764001800000-import-lanes';
import { AuditLockFirst1764001900000 } from './migrations/1764001900000-audit-lock-first';
import { SearchTagsFresh1764002000000 } from './migrations/1764002000000-search-tags-fresh';
import { ImportFilesDropped1764002100000 } from './migrations/1764002100000-import-files-dropped';
import { ImportRowsCompacted1764002200000 } from './migrations/1764002200000-import-rows-compacted';
import { SsoAssertion } from '../modules/sso/entities/sso-assertion.entity';
import { SsoLoginCode } from '../modules/sso/entities/sso-login-code.entity';
import { SsoSettings } from '../modules/sso/entities/sso-settings.entity';

export const ENTITIES = [
  User,
  Organization,
  Membership,
  AuditEvent,
  OutboxEvent,
  RefreshToken,
  EmailToken,
  Invite,
  ApiKey,
  SavedSearch,
  SearchSubscription,
  RecentSearch,
  SsoSettings,
  SsoAssertion,
  SsoLoginCode,
];
/** Listed explicitly (not globbed) so ts-jest/swc, the Nest build and the CLI all see the same set. */
export const MIGRATIONS = [
  Foundation1763900000000,
  Identity1763900100000,
  PromptLibrary1763900200000,
  PromptListIndexes1763900250000,
  ActivityIndexes1763900260000,
  Sso1763900300000,
  Search1763900400000,
  SearchPerformance1763900500000,
  LabelMoveSequence1763900600000,
  SsoScope1763900650000,
  Billing1763900700000,
  BillingUsage1763900710000,
  ProviderKeys1763900800000,
  Runs1763900900000,
  Webhooks1763901000000,
  AuditRetention1763901100000,
  Privacy1763901200000,
  WebhookSecretsRotation1763901300000,
  OrganizationSettings1764000000000,
  Evaluations1764000100000,
  TestRuns1764000200000,
  Analytics1764000300000,
  Transfer1764000500000,
  SettingsOutsideTenant1764000700000,
  OrganizationModelPrices1764000800000,
  CollectionBudgets1764000850000,
  UsageRollupsCovering1764001000000,
  UsageRollupsMonthly1764001100000,
  SearchTagsUnchanged1764001200000,
  UsageRollupsOrganization1764001300000,
  SearchWordsPerStatement1764001400000,
  ImportCounts1764001500000,
  OutboxSequence1764001600000,
  OutboxRetention1764001700000,
  ImportLanes1764001800000,
  AuditLockFirst1764001900000,
  SearchTagsFresh1764002000000,
  ImportFilesDropped1764002100000,
  ImportRowsCompacted1764002200000,
];

/**
 * Pool settings of the application on a PostgreSQL server, so that a database that is down or
 * unreachable costs a request a bounded wait and a 503 (see TenantTransactions.run), never a hang:
 * - taking a connection (opening one, or waiting for a free one) fails after
 *   `DATABASE_CONNECT_TIMEOUT_MS` (a queue that long means the pool is saturated anyway);
 * - TCP keepalive on every connection, so a server that vanished without closing the socket (a
 *   dropped network, a killed VM) ends as an error instead of a statement waiting forever.
 * Dead connections are dropped by the pool and new ones opened once the server answers again.
 * Not for the embedded PGlite: its single connection is a queue by design.
 */
export const DATABASE_CONNECT_TIMEOUT_MS = 5000;
export const SERVER_POOL_OPTIONS = {
  connectTimeoutMS: DATABASE_CONNECT_TIMEOUT_MS,
  extra: { keepAlive: true, keepAliveInitialDelayMillis: 10_000 },
} as const;

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
