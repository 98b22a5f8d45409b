import { Transform } from 'class-transformer';
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
} from 'class-validator';

/**
 * The environment variables the server reads, as class-validator rules (with their defaults).
 * Only `loadConfig` (app-config.ts) uses this class: everything else reads the typed `AppConfig`.
 */
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
export class EnvironmentVariables {
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

  /**
   * Jobs (queue processors and periodic jobs) this process runs at once, whatever the queue driver;
   * below DB_POOL_SIZE so HTTP requests always have connections left. Default: half the pool.
   */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  JOB_CONCURRENCY?: number;

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

  /** The detailed health report (the console's System status page) answers without sign-in. */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  STATUS_PAGE_PUBLIC?: boolean;

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

  /**
   * The model the AI evaluator uses when a request names none (a model id of `GET /models`; the
   * organization needs a key for its provider). Checked against the catalogue at start.
   */
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/, {
    message: 'must be a model id of GET /models (letters, digits and . _ : / @ -)',
  })
  EVALUATOR_MODEL = 'gpt-4.1-mini';

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

  /** Largest import upload in bytes (100 MB); a larger one answers 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  IMPORT_MAX_BYTES = 100 * 1024 * 1024;

  /** How long an export's download link works, in hours (24). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  EXPORT_TTL_HOURS = 24;

  /** How often stopped import/export jobs are resumed and expired export files deleted. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  TRANSFER_SWEEP_INTERVAL_MS = 30_000;

  /** An import or export job not heard from for this long is taken as stopped and resumed (2 min). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  TRANSFER_STALE_MS = 120_000;

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
