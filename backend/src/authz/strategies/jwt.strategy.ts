import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config';
import { type AccessTokenClaims, type Credentials, UUID } from '../credentials';

/** The bearer token of `Authorization: Bearer <token>`, or null. */
export const bearerToken = (req: Request): string | null =>
  req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;

/** How many verified tokens are remembered (about 1 kB each). */
export const VERIFIED_TOKENS_MAX = 10_000;

interface VerifiedToken {
  credentials: Extract<Credentials, { kind: 'token' }>;
  /** The token's `exp`, in ms. */
  expiresAt: number;
}

/**
 * Bearer access tokens (HS256, signed by SessionsService): who is calling, without the database.
 *
 * A client sends the same token on every request until it refreshes it, so a token whose signature
 * and claims were verified once is remembered (by its exact text, until its `exp`) and answered
 * again without the HMAC and the JSON parsing: that was the largest share of passport's cost on a
 * bearer-token read. A changed byte is another token and is verified in full; whether its session
 * has ended is still asked on every request (AccessGuard).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(config: AppConfig) {
    super({
      jwtFromRequest: bearerToken,
      passReqToCallback: true,
      algorithms: ['HS256'],
      // The secret as a KeyObject, made once. Given the plain string, jsonwebtoken first tries to
      // parse it as a PEM public key on every verification (and fails, throwing) before it makes
      // the same secret key: that was ~15% of the API's CPU time on a bearer-token read.
      // passport-jwt types the key as string | Buffer but hands it to jsonwebtoken, which takes a KeyObject.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer,
    });
  }

  /**
   * A token without a user id as its subject, without the session that could end it, or with a
   * malformed scope is refused like a bad signature. Whether that session has ended is the access
   * guard's question: passport keeps one strategy per name per process, the guard belongs to its
   * application.
   */
  validate(req: Request, claims: AccessTokenClaims & { exp?: number }): Credentials | null {
    if (!claims.sub || !UUID.test(claims.sub) || typeof claims.sid !== 'string') return null;
    if (claims.org !== undefined && (typeof claims.org !== 'string' || !UUID.test(claims.org))) return null;
    const credentials: VerifiedToken['credentials'] = {
      kind: 'token',
      principal: {
        userId: claims.sub,
        email: claims.email,
        sessionId: claims.sid,
        apiKey: null,
        organizationScope: claims.org?.toLowerCase() ?? null,
      },
    };
    const token = bearerToken(req);
    if (token && typeof claims.exp === 'number') this.remember(token, credentials, claims.exp * 1000);
    return copyOf(credentials);
  }

  /** A token verified before and not expired is answered from memory; any other is verified in full. */
  override authenticate(req: Request, options?: unknown): void {
    const token = bearerToken(req);
    const known = token ? this.verified.get(token) : undefined;
    if (known) {
      if (known.expiresAt > Date.now()) return this.success(copyOf(known.credentials));
      this.verified.delete(token!);
    }
    super.authenticate(req, options);
  }

  private remember(token: string, credentials: VerifiedToken['credentials'], expiresAt: number): void {
    if (this.verified.size >= VERIFIED_TOKENS_MAX) {
      // The oldest entry first (a Map keeps insertion order); expired ones go on their next use.
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { credentials, expiresAt });
  }
}

/** Each request gets its own credentials object: nothing a request does to it reaches the next. */
const copyOf = (c: VerifiedToken['credentials']): VerifiedToken['credentials'] => ({
  kind: 'token',
  principal: { ...c.principal },
});
