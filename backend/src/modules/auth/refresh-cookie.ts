import { Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { AppException } from '../../common/errors/domain.exception';
import { AppConfig } from '../../config/app-config';
import { AuthException } from './auth.errors';
import type { TokenResponseDto } from './dto/auth.response.dto';

/** A browser client asks for cookie mode with this header (value `cookie`) on login, refresh and logout. */
export const SESSION_MODE_HEADER = 'X-Session-Mode';
export const REFRESH_COOKIE = 'pv_refresh';
/** The only routes the browser sends the refresh cookie to (API_PREFIX `api/v1`). */
const COOKIE_PATHS = ['/api/v1/auth/refresh', '/api/v1/auth/logout'];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The refresh token of a browser session, kept out of reach of scripts: an `HttpOnly`,
 * `SameSite=Strict` cookie sent only to the refresh and logout routes, `Secure` unless the console
 * is served from loopback over plain http. API clients that do not ask for it keep the token in
 * the JSON body, exactly as before.
 *
 * The routes that accept the cookie are protected against cross-site requests twice over: the
 * cookie is only read when the request carries `X-Session-Mode: cookie`, a header no HTML form can
 * send and no other origin can send without passing CORS; and a request that says where it comes
 * from (`Origin`) must come from the console's own origin or an allowed CORS origin.
 */
@Injectable()
export class RefreshCookie {
  private readonly options: CookieOptions;
  private readonly maxAgeMs: number;
  private readonly allowedOrigins: Set<string>;

  constructor(config: AppConfig) {
    const publicUrl = new URL(config.publicUrl);
    this.options = {
      httpOnly: true,
      sameSite: 'strict',
      secure: publicUrl.protocol === 'https:' || !LOOPBACK.has(publicUrl.hostname),
    };
    this.maxAgeMs = config.refreshTtlDays * 24 * 3600_000;
    this.allowedOrigins = new Set([publicUrl.origin, ...config.corsOrigins.map((o) => new URL(o).origin)]);
  }

  /** Whether the client asked for cookie mode; then its origin is checked (403 otherwise). */
  requested(req: Request): boolean {
    if (req.header(SESSION_MODE_HEADER)?.toLowerCase() !== 'cookie') return false;
    const origin = req.header('origin');
    // The server's own origin as the browser addressed it (the console's dev server proxies to us).
    if (origin && !this.allowedOrigins.has(origin) && origin !== `${req.protocol}://${req.host}`) {
      throw new AuthException('origin_not_allowed', `Cookie sessions are not accepted from ${origin}`);
    }
    return true;
  }

  /** The refresh token: from the body, else (cookie mode) from the cookie. */
  tokenOf(req: Request, bodyToken: string | undefined): string {
    if (bodyToken !== undefined) return bodyToken;
    if (!this.requested(req)) {
      throw new AppException('validation_failed', 'The request has invalid fields', {
        errors: [{ field: 'refreshToken', message: 'refreshToken must be a string' }],
      });
    }
    const token = this.cookieToken(req);
    if (!token) throw new AuthException('refresh_token_invalid', 'There is no session to continue');
    return token;
  }

  /** The refresh cookie's value, if the request carries one that could be a token. */
  cookieToken(req: Request): string | undefined {
    const token = readCookie(req, REFRESH_COOKIE);
    return token && token.length <= 200 ? token : undefined;
  }

  /** The tokens as the client asked for them: cookie mode moves the refresh token into the cookie. */
  deliver(req: Request, res: Response, tokens: TokenResponseDto): TokenResponseDto {
    if (!this.requested(req)) return tokens;
    const { refreshToken, ...rest } = tokens;
    for (const path of COOKIE_PATHS)
      res.cookie(REFRESH_COOKIE, refreshToken, { ...this.options, path, maxAge: this.maxAgeMs });
    return rest;
  }

  /** Ends the cookie (logout, or a refresh that failed: the session cannot go on). */
  clear(res: Response): void {
    for (const path of COOKIE_PATHS) res.clearCookie(REFRESH_COOKIE, { ...this.options, path });
  }
}

/** One cookie's value from the `Cookie` header (no cookie parser for a single cookie). */
function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
