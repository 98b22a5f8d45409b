import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { Provider } from './providers';

/** A row of `provider_keys` without the sealed secret: what lists and the API show. */
export interface ProviderKeyRow {
  id: string;
  organization_id: string;
  provider: Provider;
  name: string;
  last4: string;
  base_url: string | null;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
}

/** The sealed secret of a key: read only to decrypt it for a call, or to re-encrypt it. */
export interface SealedKeyRow {
  id: string;
  organization_id: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  key_version: number;
}

const COLUMNS = `id, organization_id, provider, name, last4, base_url, created_by, created_at, last_used_at`;

/**
 * A key for a call, its sealed secret and the price of the model in force now (`app_model_price`,
 * the one place that prices a model), as one SELECT: `org`, `key` and `model` are the placeholders
 * of the organization, the key's id (or, `by: 'provider'`, the provider whose first key by name is
 * taken) and the model. Other statements embed it (the playground's run reads).
 */
export const keyForCallSql = (by: 'id' | 'provider', org: string, key: string, model: string) => `
  SELECT k.id, k.organization_id, k.provider, k.name, k.last4, k.base_url, k.created_by, k.created_at,
         k.last_used_at, k.ciphertext, k.iv, k.auth_tag, k.key_version,
         p.input_per_mtok_usd::text AS price_input_per_mtok_usd,
         p.output_per_mtok_usd::text AS price_output_per_mtok_usd, p.source AS price_source
    FROM (SELECT * FROM provider_keys WHERE organization_id = ${org} AND ${by} = ${key}
           ORDER BY lower(name), id LIMIT 1) k
    LEFT JOIN LATERAL app_model_price(${org}::uuid, ${model}::text, now()) p ON true`;
const FOR_CALL_BY_ID = keyForCallSql('id', '$1', '$2', '$3');
const FOR_CALL_BY_PROVIDER = keyForCallSql('provider', '$1', '$2', '$3');

/** A key with its sealed secret and the model's price in force (null columns: no price). */
export type KeyForCallRow = ProviderKeyRow &
  SealedKeyRow & {
    price_input_per_mtok_usd: string | null;
    price_output_per_mtok_usd: string | null;
    price_source: string | null;
  };

/** Provider keys of an organization; names are unique regardless of case (`provider_keys_org_name_key`). */
@Injectable()
export class ProviderKeysRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  all(organizationId: string): Promise<ProviderKeyRow[]> {
    return this.em.query<ProviderKeyRow[]>(
      `SELECT ${COLUMNS} FROM provider_keys WHERE organization_id = $1 ORDER BY lower(name), id`,
      [organizationId],
    );
  }

  async find(organizationId: string, id: string): Promise<ProviderKeyRow | undefined> {
    const [row] = await this.em.query<ProviderKeyRow[]>(
      `SELECT ${COLUMNS} FROM provider_keys WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    );
    return row;
  }

  /** The organization's first key (by name) for a provider: the one runs use when none is named. */
  async firstForProvider(organizationId: string, provider: Provider): Promise<ProviderKeyRow | undefined> {
    const [row] = await this.em.query<ProviderKeyRow[]>(
      `SELECT ${COLUMNS} FROM provider_keys WHERE organization_id = $1 AND provider = $2
        ORDER BY lower(name), id LIMIT 1`,
      [organizationId, provider],
    );
    return row;
  }

  /**
   * What a call needs in one prepared statement (see forCallSql): the key named by `by.id`, or the
   * first key (by name) of `by.provider`; undefined when there is none.
   */
  async forCall(
    organizationId: string,
    by: { id: string } | { provider: Provider },
    model: string,
  ): Promise<KeyForCallRow | undefined> {
    const [row] = await this.transactions.prepared<KeyForCallRow>(
      'id' in by ? FOR_CALL_BY_ID : FOR_CALL_BY_PROVIDER,
      [organizationId, 'id' in by ? by.id : by.provider, model],
    );
    return row;
  }

  async sealed(organizationId: string, id: string): Promise<SealedKeyRow | undefined> {
    const [row] = await this.em.query<SealedKeyRow[]>(
      `SELECT id, organization_id, ciphertext, iv, auth_tag, key_version
         FROM provider_keys WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    );
    return row;
  }

  /** Fails with the unique violation `provider_keys_org_name_key` when the name is taken. */
  async insert(values: {
    organizationId: string;
    provider: Provider;
    name: string;
    ciphertext: Buffer;
    iv: Buffer;
    authTag: Buffer;
    keyVersion: number;
    last4: string;
    baseUrl: string | null;
    createdBy: string;
  }): Promise<string> {
    const [row] = await this.em.query<Array<{ id: string }>>(
      `INSERT INTO provider_keys
         (organization_id, provider, name, ciphertext, iv, auth_tag, key_version, last4, base_url, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        values.organizationId,
        values.provider,
        values.name,
        values.ciphertext,
        values.iv,
        values.authTag,
        values.keyVersion,
        values.last4,
        values.baseUrl,
        values.createdBy,
      ],
    );
    return row.id;
  }

  async delete(organizationId: string, id: string): Promise<void> {
    await this.em.query(`DELETE FROM provider_keys WHERE organization_id = $1 AND id = $2`, [
      organizationId,
      id,
    ]);
  }

  /**
   * `touch` unless the key was marked used since `now() - resolutionS` (concurrent calls of the
   * same minute, in any process, leave the row as it is instead of queueing on its lock).
   */
  async touchIfStale(organizationId: string, id: string, resolutionS: number): Promise<void> {
    await this.em.query(
      `UPDATE provider_keys SET last_used_at = now()
        WHERE organization_id = $1 AND id = $2
          AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $3))`,
      [organizationId, id, resolutionS],
    );
  }

  async touch(organizationId: string, id: string): Promise<void> {
    await this.em.query(
      `UPDATE provider_keys SET last_used_at = now() WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    );
  }
}
