import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { sha256 } from '../../common/security/tokens';
import type { Credentials } from '../credentials';

type Verify = (req: Request, done: (err: unknown, credentials?: Credentials | null) => void) => void;

/** A passport strategy that hands the whole request to its verify function. */
class RequestStrategy extends passport.Strategy {
  constructor(private readonly verify: Verify) {
    super();
  }

  override authenticate(req: Request): void {
    this.verify(req, (err, credentials) => {
      if (err) this.error(err);
      else if (credentials) this.success(credentials);
      else this.fail();
    });
  }
}

/**
 * `X-API-Key`. The key is only hashed here: its row (revoked? expired? whose?) is read in the
 * transaction that needs it, by `AdmissionService`, so that a tenant request costs one
 * transaction. Without the header the strategy passes and the JWT strategy is tried.
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(RequestStrategy, 'api-key') {
  validate(req: Request): Credentials | null {
    const key = req.header('x-api-key');
    return key ? { kind: 'api_key', keyHash: sha256(key) } : null;
  }
}
