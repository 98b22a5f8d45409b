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

/** Bearer access tokens (HS256, signed by SessionsService): who is calling, without the database. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(config: AppConfig) {
    super({
      jwtFromRequest: bearerToken,
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
  validate(claims: AccessTokenClaims): Credentials | null {
    if (!claims.sub || !UUID.test(claims.sub) || typeof claims.sid !== 'string') return null;
    if (claims.org !== undefined && (typeof claims.org !== 'string' || !UUID.test(claims.org))) return null;
    return {
      kind: 'token',
      principal: {
        userId: claims.sub,
        email: claims.email,
        sessionId: claims.sid,
        apiKey: null,
        organizationScope: claims.org?.toLowerCase() ?? null,
      },
    };
  }
}
