import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { toInt, toBool, toList, emptyToUndefined } from './env-transforms';
import { RuntimeVariables } from './runtime.variables';

/**
 * Who may call and how: tokens and sign-in limits, API-key rate limits, proxies and origins, the
 * private-address rule of SSO metadata, the master and audit signing keys.
 */
export class SecurityVariables extends RuntimeVariables {
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

  @Transform(toList)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { each: true })
  CORS_ORIGINS: string[] = [];

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
}
