import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { EntityManager } from 'typeorm';
import type { Actor } from '../../common/context/request-context';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { User } from '../users/entities/user.entity';
import { AuthException } from './auth.errors';

/** What the account services share: hashing parameters, the account lookup and account events. */
export const ARGON2 = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const HOUR = 3600_000;
export const NO_ORG = { organizationId: null };

export const accountGone = () => new AuthException('account_gone', 'The account no longer exists');

/** The account with this e-mail (any case), with its password hash only when asked for. */
export function findByEmail(em: EntityManager, email: string, withPassword: boolean): Promise<User | null> {
  const qb = em
    .createQueryBuilder(User, 'u')
    .where('lower(u.email) = :email', { email: email.toLowerCase() });
  if (withPassword) qb.addSelect('u.passwordHash');
  return qb.getOne();
}

@Injectable()
export class AccountEvents {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
  ) {}

  /** Account events belong to every organization the user is in: each one's admins see them. */
  async recordInEveryOrganization(user: User, action: string): Promise<void> {
    const orgs: Array<{ organization_id: string }> = await this.transactions.run(
      { ...NO_ORG, userId: user.id },
      (em) => em.query(`SELECT organization_id FROM memberships WHERE user_id = $1`, [user.id]),
    );
    const actor: Actor = { type: 'user', id: user.id, email: user.email };
    for (const { organization_id } of orgs) {
      await this.transactions.run({ organizationId: organization_id, userId: user.id }, () =>
        this.audit.record({ actor, action, target: { type: 'user', id: user.id } }),
      );
    }
  }
}
