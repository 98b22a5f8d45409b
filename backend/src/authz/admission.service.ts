import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EntityManager } from 'typeorm';
import { Principal, RequestContext, type Role } from '../common/context/request-context';
import { AppException } from '../common/errors/domain.exception';
import { ApiKeyThrottler } from '../common/security/api-key-throttler';
import { AppConfig } from '../config/app-config';
import { type PlanRow, stateOfPlanRow } from '../modules/billing/billing.repository';
import { SsoException } from '../modules/sso/sso.errors';
import {
  type Opened,
  type OpeningRead,
  preparedQuery,
  TenantTransactions,
} from '../database/tenancy/tenant-transactions';
import { KEY_SQL, MEMBERSHIP_SQL, MOVE_TO_KEY_SQL, SCOPE_MEMBERSHIP_SQL } from './admission.sql';
import { type PendingAdmission, type RequestedOrganization, UUID } from './credentials';
import type { PolicyHandler } from './decorators';
import { abilityOf } from './require-access';
import { DEFAULT_POLICIES } from './ability.factory';

/** last_used_at is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

interface KeyRow extends Partial<PlanRow> {
  id: string;
  organization_id: string;
  user_id: string;
  revoked_at: Date | null;
  expires_at: Date | null;
  last_used_at: Date | null;
  email: string | null;
}

interface MembershipRow {
  role: Role;
  viewers_may_run: boolean | null;
  members_may_export: boolean | null;
}

const notAUuid = (field: string) =>
  new AppException('validation_failed', `${field} must be a UUID`, {
    errors: [{ field, message: `${field} must be a UUID` }],
  });

/**
 * The organization a tenant request acts in: the route parameter, else the header, else the API
 * key's own. 400 when none or not a UUID, and when a header is sent that is not a UUID even if the
 * path names the organization (a malformed header is a client bug worth reporting, not noise to
 * skip). An API key whose header names another organization than the path is a 400 too: the
 * request contradicts itself. A key acts only in its own organization (another one is 404, as
 * unknown to it as to outsiders). A session an organization's IdP signed in (SSO) acts only in
 * that organization: any other is 403 `sso_session_scope`, whether or not it exists or the user is
 * a member there, so the answer reveals nothing about other tenants.
 */
export function organizationOf(requested: RequestedOrganization, principal: Principal): string {
  const { param, paramValue, header } = requested;
  if (paramValue !== undefined && !UUID.test(paramValue)) throw notAUuid(param!);
  if (header !== undefined && !UUID.test(header)) throw notAUuid('X-Organization-Id');
  const value = (paramValue ?? header ?? principal.apiKey?.organizationId)?.toLowerCase();
  if (!value) {
    throw new AppException('validation_failed', 'This route needs the X-Organization-Id header', {
      errors: [{ field: 'X-Organization-Id', message: 'X-Organization-Id header is required' }],
    });
  }
  if (principal.apiKey && header !== undefined && header.toLowerCase() !== value) {
    throw new AppException('validation_failed', `X-Organization-Id differs from the ${param} in the path`, {
      errors: [
        { field: 'X-Organization-Id', message: `X-Organization-Id must name the organization of the path` },
      ],
    });
  }
  if (principal.apiKey && value !== principal.apiKey.organizationId.toLowerCase()) {
    throw new AppException('not_found', 'Organization was not found');
  }
  const scope = principal.organizationScope;
  if (scope && value !== scope.toLowerCase()) {
    throw new SsoException(
      'sso_session_scope',
      'This session was started by single sign-on for another organization; sign in to this organization to act in it',
      { extensions: { organizationId: value } },
    );
  }
  return value;
}

/**
 * Admission to a route, the steps after passport: the API-key row and its rate limit, the
 * caller's membership and role (read under RLS), and the route's policies. On tenant routes the
 * access guard only describes these steps (`PendingAdmission`) and the tenant interceptor runs
 * them first in the request's transaction; refusing rolls back before the handler ran. The order
 * of the answers is 401, 429, 400, 404, 403.
 */
@Injectable()
export class AdmissionService {
  /** Handed from the guard to the interceptor of the same request. */
  private readonly pending = new WeakMap<Request, PendingAdmission>();

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly context: RequestContext,
    private readonly throttler: ApiKeyThrottler,
    private readonly config: AppConfig,
  ) {}

  defer(req: Request, admission: PendingAdmission): void {
    this.pending.set(req, admission);
  }

  /** The admission the guard deferred for this request, if any; taken once. */
  take(req: Request): PendingAdmission | undefined {
    const admission = this.pending.get(req);
    if (admission) this.pending.delete(req);
    return admission;
  }

  /**
   * The read to send with the transaction's opening: for a bearer token, whose organization and
   * user are known before the transaction, the membership (`admit` then needs no round trip of
   * its own).
   */
  openingRead(admission: PendingAdmission): OpeningRead | undefined {
    const { credentials, scope } = admission;
    if (credentials.kind === 'api_key') {
      const hash = credentials.keyHash;
      // A key's organization and user are known only once its row is read: the read, the move
      // into them and the membership go in the opening's one message (`admit` checks the key
      // before it relies on the move). When the move did not happen (the key expired between its
      // read and the move), `admit` takes the separate `rescope` after its checks.
      return {
        sql: KEY_SQL,
        params: [hash],
        then: {
          move: { sql: MOVE_TO_KEY_SQL, params: [hash] },
          read: { sql: SCOPE_MEMBERSHIP_SQL, params: [] },
        },
      };
    }
    if (!scope.organizationId || !scope.userId) return undefined;
    return { sql: MEMBERSHIP_SQL, params: [scope.organizationId, scope.userId] };
  }

  /**
   * Runs a pending admission in the request's transaction (opened in `admission.scope`), with the
   * rows of `openingRead` when the transaction was opened with it.
   */
  async admit(em: EntityManager, admission: PendingAdmission, opened?: Opened): Promise<void> {
    const { credentials } = admission;
    let principal: Principal;
    if (credentials.kind === 'api_key') {
      // The key row is visible by its hash only; once read, the transaction moves to the key's
      // organization and user.
      principal = await this.checkKey(
        em,
        credentials.keyHash,
        admission.response,
        true,
        opened?.rows as KeyRow[],
      );
      this.context.setPrincipal(principal);
    } else {
      principal = credentials.principal;
    }
    const organizationId = organizationOf(admission.organization, principal);
    let membership: MembershipRow[] | undefined;
    if (credentials.kind === 'api_key') {
      // Into the key's organization and user (`organizationOf` refused any other for a key), with
      // the membership read in the same round trip: the opening's, when its `then` moved there.
      const scope = { organizationId, userId: principal.userId };
      if (opened?.next) {
        this.transactions.adoptScope(scope);
        membership = opened.next as MembershipRow[];
      } else {
        membership = (await this.transactions.rescope(scope, {
          sql: MEMBERSHIP_SQL,
          params: [organizationId, principal.userId],
        })) as MembershipRow[];
      }
    } else if (opened && organizationId === admission.scope.organizationId) {
      membership = opened.rows as MembershipRow[];
    }
    await this.admitMember(em, organizationId, principal, admission.policies, membership);
  }

  /** An API key on a route outside any organization, read in a transaction of its own. */
  authenticateKey(keyHash: string, res: Response): Promise<Principal> {
    return this.transactions.run({ organizationId: null, userId: null, tokenHash: keyHash }, (em) =>
      this.checkKey(em, keyHash, res, false),
    );
  }

  /** The caller's role in the organization (read under RLS in the request's transaction), then policies. */
  private async admitMember(
    em: EntityManager,
    organizationId: string,
    principal: Principal,
    policies: PolicyHandler[],
    known?: MembershipRow[],
  ): Promise<void> {
    const [membership] =
      known ?? (await preparedQuery<MembershipRow>(em, MEMBERSHIP_SQL, [organizationId, principal.userId]));
    // Not a member and no such organization look the same: ids of other tenants do not leak.
    if (!membership) throw new AppException('not_found', 'Organization was not found');

    const caller = {
      ...principal,
      organizationId,
      role: membership.role,
      policies: {
        viewersMayRun: membership.viewers_may_run ?? DEFAULT_POLICIES.viewersMayRun,
        membersMayExport: membership.members_may_export ?? DEFAULT_POLICIES.membersMayExport,
      },
    };
    this.context.setCaller(caller);
    const ability = abilityOf(caller);
    if (!policies.every((allows) => allows(ability))) {
      throw new AppException('forbidden', 'Your role in this organization does not allow this action');
    }
  }

  /**
   * The key row (with its user's e-mail and its organization's plan, `app_api_key_billing`) by
   * hash in the current transaction, in one statement, then the rate limits (per key and per
   * organization by plan). `last_used_at` is written at most once a minute; inside a request's transaction that
   * write goes after the commit, in a transaction of its own, so no request holds the key row's
   * lock while its handler runs (every other request with the same key would queue behind it).
   */
  private async checkKey(
    em: EntityManager,
    keyHash: string,
    res: Response,
    deferTouch: boolean,
    known?: KeyRow[],
  ): Promise<Principal> {
    const [row] = known ?? (await preparedQuery<KeyRow>(em, KEY_SQL, [keyHash]));
    if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now()))
      throw new AppException('unauthenticated', 'The API key is invalid, revoked or expired');
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      if (deferTouch) this.transactions.afterCommit(() => this.touchKey(row.id, keyHash));
      else await this.touchKey(row.id, keyHash, em);
    }

    const billing = row.plan ? stateOfPlanRow(row.organization_id, row as PlanRow) : null;
    await this.throttler.consume({ id: row.id, organizationId: row.organization_id, billing }, res);
    return {
      userId: row.user_id,
      email: row.email,
      sessionId: null,
      apiKey: { id: row.id, organizationId: row.organization_id },
    };
  }

  /** Records the key's use; concurrent requests of the same minute make it a no-op, not a queue. */
  private async touchKey(id: string, keyHash: string, em?: EntityManager): Promise<void> {
    const sql = `UPDATE api_keys SET last_used_at = now()
                  WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`;
    const params = [id, LAST_USED_RESOLUTION_MS / 1000];
    if (em) await em.query(sql, params);
    else
      await this.transactions.run({ organizationId: null, userId: null, tokenHash: keyHash }, (tx) =>
        tx.query(sql, params),
      );
  }
}
