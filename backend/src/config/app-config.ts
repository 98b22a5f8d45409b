import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { generateMasterKey, parseMasterKey } from '../common/security/secret-box';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : typeof value === 'string' && /^-?\d+$/.test(value)
      ? Number(value)
      : value;
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value;
  const v = value.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const toList = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? []
    : typeof value !== 'string'
      ? value
      : value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * The environment as the process receives it. Property names are the variable names, so a
 * validation message names exactly the variable an operator has to fix.
 */
class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Transform(toBool)
  @IsBoolean()
  DB_MIGRATIONS_RUN = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  ELASTICSEARCH_URL?: string;

  /** Index names start with this (alias `<prefix>-prompts`), so deployments or test runs can share a node. */
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'must be 1-64 lower-case letters, digits, _ or -' })
  ELASTICSEARCH_INDEX_PREFIX = 'prompt-vault';

  /** Search results kept per process (least recently used out); 0 turns the result cache off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  SEARCH_CACHE_ENTRIES = 2000;

  /**
   * Longest a cached search answer is served. Changes to prompts end it at once; this bounds only
   * how long popularity from view/use counters (flushed every second) may lag in cached answers.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  SEARCH_CACHE_TTL_SECONDS = 60;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Prompt Vault <no-reply@localhost>';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  JWT_REFRESH_TTL_DAYS = 30;

  @IsIn(['on', 'off', 'auto'])
  AUTH_EMAIL_VERIFICATION: 'on' | 'off' | 'auto' = 'auto';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  API_KEY_RATE_LIMIT = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  API_KEY_RATE_WINDOW_SECONDS = 3600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_LOCKOUT_SECONDS = 900;

  /** An account past LOGIN_MAX_FAILURES accepts one attempt per this many seconds, doubling per failure. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  LOGIN_SLOWDOWN_SECONDS = 1;

  /** The longest an account's slowdown grows (seconds). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  LOGIN_SLOWDOWN_MAX_SECONDS = 60;

  @IsString()
  DATA_DIR = '.data';

  @Transform(toList)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { each: true })
  CORS_ORIGINS: string[] = [];

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 512kb or 1mb' })
  BODY_LIMIT = '1mb';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsIn(['inline', 'off'])
  WORKERS: 'inline' | 'off' = 'inline';

  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'must be 1-32 letters, digits, _ or -' })
  QUEUE_PREFIX = 'pv';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  QUEUE_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  QUEUE_BACKOFF_MS = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  OUTBOX_SWEEP_INTERVAL_MS = 5000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ADMIN_DIST?: string;

  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  /** SSO metadata URLs may reach loopback and private networks (default: yes, except in production). */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  SSO_METADATA_ALLOW_PRIVATE?: boolean;

  /**
   * Master key for secrets stored encrypted (provider API keys): 32 bytes as base64 or 64 hex
   * digits. Generated into DATA_DIR in development; required in production.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ENCRYPTION_KEY?: string;

  /**
   * Ed25519 private key that signs audit export manifests and retention checkpoints: PKCS#8 as PEM
   * (literal `\n` allowed) or base64 DER. Generated into DATA_DIR in development; required in production.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_SIGNING_KEY?: string;

  /** The master key before the last rotation: still opens its secrets until `npm run keys:rotate` ran. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ENCRYPTION_KEY_PREVIOUS?: string;

  /** How long a call to a model provider may take (milliseconds). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  PROVIDER_TIMEOUT_MS = 60_000;

  /** Provider base URLs may reach loopback and private networks, and use http (default: yes, except in production). */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  PROVIDER_BASE_URL_ALLOW_PRIVATE?: boolean;

  /**
   * Webhook target URLs may reach loopback and private networks (default: yes, except in
   * production). Checked at registration and again at connect time of every delivery.
   */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE?: boolean;

  /** How long one webhook delivery may take, connect to last byte (milliseconds). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(30_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** The first retry delay of a failed delivery; each further one doubles, up to WEBHOOK_RETRY_MAX_MS. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_BASE_MS = 30_000;

  /** The longest delay between two attempts of a delivery. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_MAX_MS = 3_600_000;

  /** How long a delivery is retried before it is marked failed (24 h). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  WEBHOOK_RETRY_WINDOW_MS = 86_400_000;

  /** An endpoint whose deliveries have all failed for this long is disabled (24 h). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  WEBHOOK_DISABLE_AFTER_MS = 86_400_000;

  /** How long a rotated-out secret keeps signing next to the new one (24 h). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  WEBHOOK_SECRET_OVERLAP_MS = 86_400_000;

  /** How often due and retried deliveries are picked up. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  WEBHOOK_DISPATCH_INTERVAL_MS = 5000;

  /** The plan a new organization starts on (without Stripe, the OWNER changes it). */
  @IsIn(['free', 'starter', 'pro', 'enterprise'])
  DEFAULT_PLAN: 'free' | 'starter' | 'pro' | 'enterprise' = 'free';

  /** Days a past-due subscription keeps its plan before the organization falls to Free limits. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(90)
  BILLING_GRACE_DAYS = 7;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, {
    message: 'must be a Stripe secret key (sk_test_… or sk_live_…)',
  })
  STRIPE_SECRET_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9_]+$/, { message: 'must be a webhook signing secret (whsec_…)' })
  STRIPE_WEBHOOK_SECRET?: string;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  STRIPE_API_BASE = 'https://api.stripe.com';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^price_[A-Za-z0-9_]+$/, { message: 'must be a Stripe price id (price_…)' })
  STRIPE_PRICE_STARTER_MONTH?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^price_[A-Za-z0-9_]+$/, { message: 'must be a Stripe price id (price_…)' })
  STRIPE_PRICE_STARTER_YEAR?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^price_[A-Za-z0-9_]+$/, { message: 'must be a Stripe price id (price_…)' })
  STRIPE_PRICE_PRO_MONTH?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^price_[A-Za-z0-9_]+$/, { message: 'must be a Stripe price id (price_…)' })
  STRIPE_PRICE_PRO_YEAR?: string;
}

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
  readonly adminDist!: string;
  readonly trustProxy!: boolean;
  /** Master keys of encrypted secrets (docs/playground.md, "Provider keys"). */
  readonly encryption!: EncryptionConfig;
  /** How long a call to a model provider may take (milliseconds). */
  readonly providerTimeoutMs!: number;
  /** Whether provider base URLs may reach loopback/private addresses and use plain http. */
  readonly providerBaseUrlAllowPrivate!: boolean;
  /** Plans and Stripe (docs/billing.md). */
  readonly billing!: BillingConfig;
  /** AUDIT_SIGNING_KEY as PKCS#8 PEM: signs audit export manifests and retention checkpoints (docs/compliance.md). */
  readonly auditSigningKey!: string;
  /** Outbound webhooks (docs/webhooks.md). */
  readonly webhooks!: WebhooksConfig;

  constructor(values: AppConfigValues) {
    Object.assign(this, values);
  }

  /** A copy with some values replaced (tests and the embedded database use it). */
  with(overrides: Partial<AppConfigValues>): AppConfig {
    return new AppConfig({ ...this, ...overrides });
  }
}

export type AppConfigValues = Omit<AppConfig, 'with'>;

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

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

/** Reads the JWT secret for development from DATA_DIR, creating it on first start. */
function devJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Reads the master encryption key for development from DATA_DIR, creating it on first start. */
function devEncryptionKey(dataDir: string): Buffer {
  const file = join(dataDir, 'encryption-key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, generateMasterKey(), { mode: 0o600 });
  }
  const key = parseMasterKey(readFileSync(file, 'utf8'));
  if (!key) throw new ConfigValidationError([`ENCRYPTION_KEY: ${file} does not hold a 32-byte base64 key`]);
  return key;
}

const AUDIT_KEY_FORMAT =
  'must be an Ed25519 private key, PKCS#8 as PEM or base64 DER (generate one with: openssl genpkey -algorithm ed25519)';

/** An Ed25519 private key as PKCS#8 PEM, from PEM (literal `\n` allowed) or base64 DER; undefined if it is not one. */
export function parseAuditSigningKey(value: string): string | undefined {
  try {
    const text = value.trim().replace(/\\n/g, '\n');
    const key = text.startsWith('-----BEGIN')
      ? createPrivateKey(text)
      : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType !== 'ed25519') return undefined;
    return key.export({ format: 'pem', type: 'pkcs8' }).toString();
  } catch {
    return undefined;
  }
}

/** Reads the audit signing key for development from DATA_DIR, creating it on first start. */
function devAuditSigningKey(dataDir: string): string {
  const file = join(dataDir, 'audit-signing-key.pem');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  }
  const key = parseAuditSigningKey(readFileSync(file, 'utf8'));
  if (!key) throw new ConfigValidationError([`AUDIT_SIGNING_KEY: ${file} ${AUDIT_KEY_FORMAT}`]);
  return key;
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
    adminDist: resolve(cwd, raw.ADMIN_DIST ?? 'dist/admin/browser'),
    trustProxy: raw.TRUST_PROXY,
    ssoMetadataAllowPrivate: raw.SSO_METADATA_ALLOW_PRIVATE ?? raw.NODE_ENV !== 'production',
    encryption: { key: encryptionKey ?? devEncryptionKey(dataDir), previous: previousKey },
    providerTimeoutMs: raw.PROVIDER_TIMEOUT_MS,
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
