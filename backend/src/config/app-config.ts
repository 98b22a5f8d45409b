import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { parseMasterKey } from '../common/security/secret-box';
import { ConfigValidationError } from './config-validation-error';
import {
  AUDIT_KEY_FORMAT,
  devAuditSigningKey,
  devEncryptionKey,
  devJwtSecret,
  parseAuditSigningKey,
} from './dev-secrets';
import { EnvironmentVariables } from './environment-variables';

export { ConfigValidationError } from './config-validation-error';
export { parseAuditSigningKey } from './dev-secrets';

export type DatabaseDriver = 'postgres' | 'pglite';
export type QueueDriver = 'bullmq' | 'inline';
export type SearchDriver = 'postgres' | 'elasticsearch';

export interface StripeConfig {
  secretKey: string;
  /** Without it, every webhook is refused (400): nothing unsigned is ever applied. */
  webhookSecret?: string;
  apiBase: string;
  /** Price ids per purchasable plan and interval; a missing one makes that Checkout answer 409. */
  prices: { starter: { month?: string; year?: string }; pro: { month?: string; year?: string } };
}

export interface BillingConfig {
  defaultPlan: 'free' | 'starter' | 'pro' | 'enterprise';
  graceDays: number;
  /** Set when STRIPE_SECRET_KEY is; otherwise the OWNER switches plans with `PUT /billing/plan`. */
  stripe?: StripeConfig;
}

export interface WebhooksConfig {
  allowPrivate: boolean;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  retryWindowMs: number;
  disableAfterMs: number;
  secretOverlapMs: number;
  dispatchIntervalMs: number;
}

export interface TransferConfig {
  /** IMPORT_MAX_BYTES: the largest import upload. */
  importMaxBytes: number;
  /** IMPORT_MAX_ROWS: the most records one import file may hold. */
  importMaxRows: number;
  /** IMPORT_COMMIT_LANES: batches of one import committed in parallel transactions (PostgreSQL only). */
  importCommitLanes: number;
  /** EXPORT_TTL_HOURS in milliseconds: how long an export can be downloaded. */
  exportTtlMs: number;
  /** TRANSFER_SWEEP_INTERVAL_MS: how often stopped jobs are resumed and expired files deleted. */
  sweepIntervalMs: number;
  /** TRANSFER_STALE_MS: a job silent this long is resumed. */
  staleMs: number;
}

export interface EncryptionConfig {
  /** ENCRYPTION_KEY: 32 bytes; seals every new secret. */
  key: Buffer;
  /** ENCRYPTION_KEY_PREVIOUS: still opens secrets sealed before a rotation. */
  previous?: Buffer;
}

/** The one typed configuration object. Nothing outside `config/` reads `process.env`. */
export class AppConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly port!: number;
  readonly host!: string;
  readonly publicUrl!: string;
  /** Whether the server may fetch SSO metadata from loopback, private or link-local addresses. */
  readonly ssoMetadataAllowPrivate!: boolean;
  /** Set when PostgreSQL is configured; otherwise the embedded PGlite database is used. */
  readonly databaseUrl?: string;
  readonly databaseDriver!: DatabaseDriver;
  readonly migrationsRun!: boolean;
  readonly dbPoolSize!: number;
  /**
   * JOB_CONCURRENCY: the most jobs (queue processors and periodic jobs) this process runs at once,
   * over every queue and either driver; unset, JobSlots derives it from the pool (`jobConcurrency()`).
   */
  readonly jobConcurrency?: number;
  /** HEAP_GROWTH_PERCENT: V8's old-generation growth past the last full GC's live size; 0 = V8's own. */
  readonly heapGrowthPercent!: number;
  readonly redisUrl?: string;
  readonly queueDriver!: QueueDriver;
  readonly elasticsearchUrl?: string;
  readonly searchDriver!: SearchDriver;
  readonly elasticsearchIndexPrefix!: string;
  /** Size of the search result cache (entries); 0 = off. */
  readonly searchCacheEntries!: number;
  /** Longest a cached search answer is served (seconds). */
  readonly searchCacheTtlSeconds!: number;
  readonly smtpUrl?: string;
  readonly mailFrom!: string;
  readonly jwtSecret!: string;
  readonly jwtAccessTtlSeconds!: number;
  readonly refreshTtlDays!: number;
  /** E-mail verification: required when SMTP is configured unless AUTH_EMAIL_VERIFICATION=off. */
  readonly emailVerification!: boolean;
  /** Requests per window and key (plans may raise it). */
  readonly apiKeyRateLimit!: number;
  readonly apiKeyRateWindowSeconds!: number;
  /**
   * Failed sign-ins per address within the lockout window before that address gets 429 (half of it
   * slows down); per account, the failures beyond it slow the account down instead.
   */
  readonly loginMaxFailures!: number;
  readonly loginLockoutSeconds!: number;
  /** An account's first slowdown step (seconds between attempts), doubling per further failure. */
  readonly loginSlowdownSeconds!: number;
  readonly loginSlowdownMaxSeconds!: number;
  readonly dataDir!: string;
  readonly corsOrigins!: string[];
  readonly bodyLimit!: string;
  readonly logLevel!: string;
  /** Whether this process runs the job processors (`inline`) or leaves them to `worker.ts` (`off`). */
  readonly workers!: 'inline' | 'off';
  /** Redis key prefix of every queue, so several deployments (or test runs) can share one Redis. */
  readonly queuePrefix!: string;
  readonly queueAttempts!: number;
  readonly queueBackoffMs!: number;
  readonly outboxSweepIntervalMs!: number;
  /** OUTBOX_RETENTION_DAYS: delivered outbox rows older than this are deleted (OutboxPruner). */
  readonly outboxRetentionDays!: number;
  readonly adminDist!: string;
  readonly trustProxy!: boolean;
  /**
   * STATUS_PAGE_PUBLIC: the detailed health report (drivers, what is down and why) answers
   * without sign-in. The probe (`GET /health`) is public either way.
   */
  readonly statusPagePublic!: boolean;
  /** Master keys of encrypted secrets (docs/playground.md, "Provider keys"). */
  readonly encryption!: EncryptionConfig;
  /** How long a call to a model provider may take (milliseconds). */
  readonly providerTimeoutMs!: number;
  /** The AI evaluator's model when a request names none (docs/playground.md, "AI evaluator"). */
  readonly evaluatorModel!: string;
  /** Whether provider base URLs may reach loopback/private addresses and use plain http. */
  readonly providerBaseUrlAllowPrivate!: boolean;
  /** Plans and Stripe (docs/billing.md). */
  readonly billing!: BillingConfig;
  /** AUDIT_SIGNING_KEY as PKCS#8 PEM: signs audit export manifests and retention checkpoints (docs/compliance.md). */
  readonly auditSigningKey!: string;
  /** Outbound webhooks (docs/webhooks.md). */
  readonly webhooks!: WebhooksConfig;
  /** Import and export (docs/import-export.md). */
  readonly transfer!: TransferConfig;

  constructor(values: AppConfigValues) {
    Object.assign(this, values);
  }

  /** A copy with some values replaced (tests and the embedded database use it). */
  with(overrides: Partial<AppConfigValues>): AppConfig {
    return new AppConfig({ ...this, ...overrides });
  }
}

export type AppConfigValues = Omit<AppConfig, 'with'>;

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => {
    const own = Object.values(e.constraints ?? {}).map(
      (m) =>
        // class-validator starts messages with the property name already; keep one form: "NAME: message".
        `${e.property}: ${m.startsWith(e.property) ? m.slice(e.property.length).trim() : m}`,
    );
    return [...own, ...flatten(e.children ?? [])];
  });
}

const MASTER_KEY_FORMAT =
  'must be 32 bytes as base64 or 64 hex digits (generate one with: openssl rand -base64 32)';

/**
 * Validates the environment once and returns the typed config. Throws a ConfigValidationError that
 * names every bad variable, so the process can refuse to start with one clear message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const raw = plainToInstance(EnvironmentVariables, { ...env }, { exposeDefaultValues: true });
  const problems = flatten(validateSync(raw, { whitelist: false, forbidUnknownValues: false }));
  if (raw.NODE_ENV === 'production' && !raw.JWT_SECRET) {
    problems.push('JWT_SECRET: is required when NODE_ENV=production (at least 32 random characters)');
  }
  if (raw.NODE_ENV === 'production' && !raw.ENCRYPTION_KEY) {
    problems.push(`ENCRYPTION_KEY: is required when NODE_ENV=production; it ${MASTER_KEY_FORMAT}`);
  }
  const encryptionKey = raw.ENCRYPTION_KEY === undefined ? undefined : parseMasterKey(raw.ENCRYPTION_KEY);
  if (raw.ENCRYPTION_KEY !== undefined && !encryptionKey)
    problems.push(`ENCRYPTION_KEY: ${MASTER_KEY_FORMAT}`);
  const previousKey =
    raw.ENCRYPTION_KEY_PREVIOUS === undefined ? undefined : parseMasterKey(raw.ENCRYPTION_KEY_PREVIOUS);
  if (raw.ENCRYPTION_KEY_PREVIOUS !== undefined && !previousKey)
    problems.push(`ENCRYPTION_KEY_PREVIOUS: ${MASTER_KEY_FORMAT}`);
  if (previousKey && !raw.ENCRYPTION_KEY)
    problems.push('ENCRYPTION_KEY_PREVIOUS: is only used together with ENCRYPTION_KEY (the new key)');
  if (raw.NODE_ENV === 'production' && !raw.AUDIT_SIGNING_KEY) {
    problems.push(`AUDIT_SIGNING_KEY: is required when NODE_ENV=production; it ${AUDIT_KEY_FORMAT}`);
  }
  const auditSigningKey =
    raw.AUDIT_SIGNING_KEY === undefined ? undefined : parseAuditSigningKey(raw.AUDIT_SIGNING_KEY);
  if (raw.AUDIT_SIGNING_KEY !== undefined && !auditSigningKey)
    problems.push(`AUDIT_SIGNING_KEY: ${AUDIT_KEY_FORMAT}`);
  if (raw.DATABASE_URL && raw.JOB_CONCURRENCY !== undefined && raw.JOB_CONCURRENCY >= raw.DB_POOL_SIZE)
    problems.push(
      `JOB_CONCURRENCY: must be below DB_POOL_SIZE (${raw.DB_POOL_SIZE}), so requests always have connections left`,
    );
  if (problems.length) throw new ConfigValidationError(problems);

  const dataDir = isAbsolute(raw.DATA_DIR) ? raw.DATA_DIR : resolve(cwd, raw.DATA_DIR);
  return new AppConfig({
    env: raw.NODE_ENV,
    port: raw.PORT,
    host: raw.HOST,
    publicUrl: (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ''),
    databaseUrl: raw.DATABASE_URL,
    databaseDriver: raw.DATABASE_URL ? 'postgres' : 'pglite',
    migrationsRun: raw.DB_MIGRATIONS_RUN,
    // PGlite is a single session: one connection, queued by the socket server.
    dbPoolSize: raw.DATABASE_URL ? raw.DB_POOL_SIZE : 1,
    jobConcurrency: raw.JOB_CONCURRENCY,
    heapGrowthPercent: raw.HEAP_GROWTH_PERCENT,
    redisUrl: raw.REDIS_URL,
    queueDriver: raw.REDIS_URL ? 'bullmq' : 'inline',
    elasticsearchUrl: raw.ELASTICSEARCH_URL,
    searchDriver: raw.ELASTICSEARCH_URL ? 'elasticsearch' : 'postgres',
    elasticsearchIndexPrefix: raw.ELASTICSEARCH_INDEX_PREFIX,
    searchCacheEntries: raw.SEARCH_CACHE_ENTRIES,
    searchCacheTtlSeconds: raw.SEARCH_CACHE_TTL_SECONDS,
    smtpUrl: raw.SMTP_URL,
    mailFrom: raw.MAIL_FROM,
    jwtSecret: raw.JWT_SECRET ?? devJwtSecret(dataDir),
    jwtAccessTtlSeconds: raw.JWT_ACCESS_TTL_SECONDS,
    refreshTtlDays: raw.JWT_REFRESH_TTL_DAYS,
    emailVerification:
      raw.AUTH_EMAIL_VERIFICATION === 'on' || (raw.AUTH_EMAIL_VERIFICATION === 'auto' && !!raw.SMTP_URL),
    apiKeyRateLimit: raw.API_KEY_RATE_LIMIT,
    apiKeyRateWindowSeconds: raw.API_KEY_RATE_WINDOW_SECONDS,
    loginMaxFailures: raw.LOGIN_MAX_FAILURES,
    loginLockoutSeconds: raw.LOGIN_LOCKOUT_SECONDS,
    loginSlowdownSeconds: raw.LOGIN_SLOWDOWN_SECONDS,
    loginSlowdownMaxSeconds: Math.max(raw.LOGIN_SLOWDOWN_MAX_SECONDS, raw.LOGIN_SLOWDOWN_SECONDS),
    dataDir,
    corsOrigins: raw.CORS_ORIGINS,
    bodyLimit: raw.BODY_LIMIT,
    logLevel: raw.LOG_LEVEL,
    workers: raw.WORKERS,
    queuePrefix: raw.QUEUE_PREFIX,
    queueAttempts: raw.QUEUE_ATTEMPTS,
    queueBackoffMs: raw.QUEUE_BACKOFF_MS,
    outboxSweepIntervalMs: raw.OUTBOX_SWEEP_INTERVAL_MS,
    outboxRetentionDays: raw.OUTBOX_RETENTION_DAYS,
    adminDist: resolve(cwd, raw.ADMIN_DIST ?? 'dist/admin/browser'),
    trustProxy: raw.TRUST_PROXY,
    statusPagePublic: raw.STATUS_PAGE_PUBLIC ?? false,
    ssoMetadataAllowPrivate: raw.SSO_METADATA_ALLOW_PRIVATE ?? raw.NODE_ENV !== 'production',
    encryption: { key: encryptionKey ?? devEncryptionKey(dataDir), previous: previousKey },
    providerTimeoutMs: raw.PROVIDER_TIMEOUT_MS,
    evaluatorModel: raw.EVALUATOR_MODEL,
    providerBaseUrlAllowPrivate: raw.PROVIDER_BASE_URL_ALLOW_PRIVATE ?? raw.NODE_ENV !== 'production',
    auditSigningKey: auditSigningKey ?? devAuditSigningKey(dataDir),
    webhooks: {
      allowPrivate: raw.WEBHOOK_ALLOW_PRIVATE ?? raw.NODE_ENV !== 'production',
      timeoutMs: raw.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: raw.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: Math.max(raw.WEBHOOK_RETRY_MAX_MS, raw.WEBHOOK_RETRY_BASE_MS),
      retryWindowMs: raw.WEBHOOK_RETRY_WINDOW_MS,
      disableAfterMs: raw.WEBHOOK_DISABLE_AFTER_MS,
      secretOverlapMs: raw.WEBHOOK_SECRET_OVERLAP_MS,
      dispatchIntervalMs: raw.WEBHOOK_DISPATCH_INTERVAL_MS,
    },
    transfer: {
      importMaxBytes: raw.IMPORT_MAX_BYTES,
      importMaxRows: raw.IMPORT_MAX_ROWS,
      importCommitLanes: raw.IMPORT_COMMIT_LANES,
      exportTtlMs: raw.EXPORT_TTL_HOURS * 3_600_000,
      sweepIntervalMs: raw.TRANSFER_SWEEP_INTERVAL_MS,
      staleMs: raw.TRANSFER_STALE_MS,
    },
    billing: {
      defaultPlan: raw.DEFAULT_PLAN,
      graceDays: raw.BILLING_GRACE_DAYS,
      stripe: raw.STRIPE_SECRET_KEY
        ? {
            secretKey: raw.STRIPE_SECRET_KEY,
            webhookSecret: raw.STRIPE_WEBHOOK_SECRET,
            apiBase: raw.STRIPE_API_BASE.replace(/\/+$/, ''),
            prices: {
              starter: { month: raw.STRIPE_PRICE_STARTER_MONTH, year: raw.STRIPE_PRICE_STARTER_YEAR },
              pro: { month: raw.STRIPE_PRICE_PRO_MONTH, year: raw.STRIPE_PRICE_PRO_YEAR },
            },
          }
        : undefined,
    },
  });
}

/** Loads `.env` from the working directory when present (real environment variables win). */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = join(cwd, '.env');
  if (existsSync(file)) {
    const before = { ...process.env };
    process.loadEnvFile(file);
    Object.assign(process.env, before);
  }
}
