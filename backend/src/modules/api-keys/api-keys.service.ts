import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { can, requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { notFound } from '../../common/errors/domain.exception';
import { newSecret, sha256 } from '../../common/security/tokens';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto } from './dto/api-key.dto';
import { ApiKey } from './entities/api-key.entity';

const PREFIX_LENGTH = 11; // "pv_" + 8 characters

const toDto = (k: ApiKey): ApiKeyResponseDto => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  userId: k.userId,
  createdAt: k.createdAt.toISOString(),
  expiresAt: k.expiresAt?.toISOString() ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});

/** API keys per user and organization; each acts as its user with the user's current role. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
  ) {}

  /** A key for the caller (its user) in the caller's organization. */
  async create(caller: Caller, dto: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    const { organizationId, userId } = caller;
    const key = `pv_${newSecret()}`;
    const em = this.transactions.manager;
    const row = em.create(ApiKey, {
      organizationId,
      userId,
      name: dto.name,
      prefix: key.slice(0, PREFIX_LENGTH),
      keyHash: sha256(key),
      expiresAt: dto.expiresAt ?? null,
    });
    await em.save(row);
    await this.audit.record({
      action: 'api_key.created',
      target: { type: 'api_key', id: row.id },
      changes: { name: dto.name, prefix: row.prefix },
    });
    return { ...toDto(row), key };
  }

  /** Active keys: the caller's own, or every member's for OWNER and ADMIN. */
  async list(caller: Caller): Promise<ApiKeyResponseDto[]> {
    const { organizationId, userId } = caller;
    // A key of nobody in particular: only an unconditional rule (OWNER, ADMIN) allows reading it.
    const seesAll = can(caller, 'read', { __type: 'ApiKey', createdById: null });
    const keys = await this.transactions.manager.find(ApiKey, {
      where: { organizationId, revokedAt: IsNull(), ...(seesAll ? {} : { userId }) },
      order: { createdAt: 'DESC' },
    });
    return keys.filter((k) => !k.expiresAt || k.expiresAt.getTime() > Date.now()).map(toDto);
  }

  async revoke(caller: Caller, keyId: string): Promise<void> {
    const { organizationId } = caller;
    const em = this.transactions.manager;
    const key = await em.findOneBy(ApiKey, { id: keyId, organizationId, revokedAt: IsNull() });
    if (!key) throw notFound('API key');
    requireAccess(
      caller,
      'delete',
      { __type: 'ApiKey', createdById: key.userId },
      "Only OWNER and ADMIN may revoke other members' keys",
    );
    await em.update(ApiKey, { id: keyId }, { revokedAt: new Date() });
    await this.audit.record({
      action: 'api_key.revoked',
      target: { type: 'api_key', id: keyId },
      changes: { name: key.name, userId: key.userId },
    });
  }
}
