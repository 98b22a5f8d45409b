import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as argon2 from 'argon2';
import { QueryFailedError } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { DomainException } from '../../common/errors/domain.exception';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { Membership } from '../organizations/entities/membership.entity';
import { Organization } from '../organizations/entities/organization.entity';
import { uniqueSlug } from '../organizations/slug';
import { User } from '../users/entities/user.entity';
import { LoginDto, SignupDto } from './dto/signup.dto';
import { MeResponseDto, TokenResponseDto, UserResponseDto } from './dto/auth.response.dto';

const ARGON2 = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

function isUniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505';
}

@Injectable()
export class AuthService {
  /** Verified against when the e-mail is unknown, so both failures take the same time. */
  private readonly dummyHash = argon2.hash('not-a-real-password-1234', ARGON2);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Creates the user with their default organization (as OWNER) in one transaction. */
  async signup(dto: SignupDto): Promise<UserResponseDto> {
    const passwordHash = await argon2.hash(dto.password, ARGON2);
    const userId = randomUUID();
    const organizationId = randomUUID();
    try {
      return await this.transactions.run({ organizationId, userId }, async (em) => {
        await em.insert(User, { id: userId, email: dto.email, name: dto.name, passwordHash });
        const orgName = `${dto.name}'s organization`;
        await em.insert(Organization, { id: organizationId, name: orgName, slug: uniqueSlug(dto.name) });
        await em.insert(Membership, { organizationId, userId, role: 'OWNER' });
        const actor = { type: 'user' as const, id: userId, email: dto.email };
        await this.audit.record({
          organizationId,
          actor,
          action: 'user.signed_up',
          target: { type: 'user', id: userId },
        });
        await this.audit.record({
          organizationId,
          actor,
          action: 'organization.created',
          target: { type: 'organization', id: organizationId },
          changes: { name: orgName },
        });
        return { id: userId, email: dto.email, name: dto.name };
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainException('email_taken', 'An account with this e-mail already exists');
      throw err;
    }
  }

  async login(dto: LoginDto): Promise<TokenResponseDto> {
    const user = await this.transactions.run({ organizationId: null, userId: null }, (em) =>
      em
        .createQueryBuilder(User, 'u')
        .addSelect('u.passwordHash')
        .where('lower(u.email) = :email', { email: dto.email })
        .getOne(),
    );
    const ok = await argon2.verify(user?.passwordHash ?? (await this.dummyHash), dto.password);
    if (!user || !user.passwordHash || !ok)
      throw new DomainException('invalid_credentials', 'The e-mail or password is wrong');
    const accessToken = await this.jwt.signAsync({ sub: user.id, email: user.email });
    return { accessToken, expiresIn: this.config.jwtAccessTtlSeconds };
  }

  async me(userId: string): Promise<MeResponseDto> {
    return this.transactions.run({ organizationId: null, userId }, async (em) => {
      const user = await em.findOne(User, { where: { id: userId } });
      if (!user) throw new DomainException('unauthenticated', 'The account no longer exists');
      const rows: Array<{
        organization_id: string;
        name: string;
        slug: string;
        role: MeResponseDto['memberships'][0]['role'];
      }> = await em.query(
        `SELECT m.organization_id, o.name, o.slug, m.role
             FROM memberships m JOIN organizations o ON o.id = m.organization_id
            WHERE m.user_id = $1
            ORDER BY o.name, o.id`,
        [userId],
      );
      return {
        id: user.id,
        email: user.email,
        name: user.name,
        memberships: rows.map((r) => ({
          organizationId: r.organization_id,
          organizationName: r.name,
          slug: r.slug,
          role: r.role,
        })),
      };
    });
  }
}
