import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { toInt, toBool, emptyToUndefined } from './env-transforms';

/**
 * The environment of the process itself: mode and address, database and pool, queue and workers,
 * search, mail, files, logs and the console build.
 */
export class RuntimeVariables {
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

  /**
   * How far V8 lets the old generation grow past what the last full collection kept, in percent
   * (V8's `--heap-growing-percent`); 0 leaves V8's own factor (up to 4×). See config/heap-growth.ts.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  HEAP_GROWTH_PERCENT = 50;

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

  @IsString()
  DATA_DIR = '.data';

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

  /** Delivered outbox rows older than this are deleted (daily, OutboxPruner). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  OUTBOX_RETENTION_DAYS = 7;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ADMIN_DIST?: string;

  /** The detailed health report (the console's System status page) answers without sign-in. */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  STATUS_PAGE_PUBLIC?: boolean;
}
