import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';
import { toInt, toBool, emptyToUndefined } from './env-transforms';
import { SecurityVariables } from './security.variables';

/** The product's domains: model providers and the evaluator, webhooks, import/export, plans and Stripe. */
export class ProductVariables extends SecurityVariables {
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

  /**
   * Most prompts (records) one import file may hold; validation stops at the next one and fails
   * the import. Bounds what a file of tiny rows costs (100 MB of `title,content` rows are 12
   * million records).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  IMPORT_MAX_ROWS = 500_000;

  /**
   * Batches of one import committed at once (on PostgreSQL; PGlite, a single session, commits one
   * at a time): imports of plain creations write this many batches in parallel transactions.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8)
  IMPORT_COMMIT_LANES = 2;

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
