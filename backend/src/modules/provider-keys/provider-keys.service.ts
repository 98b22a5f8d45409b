import { lookup } from 'node:dns/promises';
import { Injectable, Logger } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { isPrivateAddress, privateLiteralHost } from '../../common/security/outbound-address';
import { SecretBoxError } from '../../common/security/secret-box';
import { MasterKey } from '../../common/security/master-key';
import { AppConfig } from '../../config/app-config';
import { isUniqueViolation } from '../../database/errors';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import {
  CreateProviderKeyDto,
  ProviderKeyResponseDto,
  ProviderKeyTestResultDto,
} from './dto/provider-key.dto';
import { testProviderKey } from './provider-key-tester';
import { ProviderCredentials } from './provider-clients';
import { ProviderKeyException } from './provider-keys.errors';
import { KeyForCallRow, ProviderKeyRow, ProviderKeysRepository } from './provider-keys.repository';
import { last4, Provider } from './providers';

/** See `ProviderKeysService.forCall`; prices are numeric, hence text. */
export interface KeyForCall {
  key: ProviderKeyRow;
  price: { inputPerMTokUsd: string; outputPerMTokUsd: string; source: string } | null;
  open: () => ProviderCredentials;
}

const toDto = (r: ProviderKeyRow): ProviderKeyResponseDto => ({
  id: r.id,
  provider: r.provider,
  name: r.name,
  last4: r.last4,
  ...(r.base_url ? { baseUrl: r.base_url } : {}),
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
});

const invalid = (field: string, message: string) =>
  new AppException('validation_failed', message, { errors: [{ field, message }] });

/** A key's `lastUsedAt` is rewritten at most this often by calls (`markUsedAfterCall`). */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The longest a key test may take, whatever PROVIDER_TIMEOUT_MS says (it is a button in the console). */
const TEST_TIMEOUT_CAP_MS = 20_000;

/**
 * The organization's own model provider keys: added and deleted by OWNER/ADMIN, listed for
 * EDITOR too (the route policies decide). The key is sealed before it reaches the repository and
 * opened only for a call; responses, audit events and errors carry its last four characters at most.
 */
@Injectable()
export class ProviderKeysService {
  private readonly logger = new Logger(ProviderKeysService.name);

  constructor(
    private readonly keys: ProviderKeysRepository,
    private readonly secrets: MasterKey,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly transactions: TenantTransactions,
  ) {}

  async list(caller: Caller): Promise<ProviderKeyResponseDto[]> {
    return (await this.keys.all(caller.organizationId)).map(toDto);
  }

  async create(caller: Caller, dto: CreateProviderKeyDto): Promise<ProviderKeyResponseDto> {
    const baseUrl = await this.checkBaseUrl(dto);
    const sealed = this.secrets.seal(dto.apiKey, caller.organizationId);
    let id: string;
    try {
      id = await this.keys.insert({
        organizationId: caller.organizationId,
        provider: dto.provider,
        name: dto.name,
        ciphertext: sealed.ciphertext,
        iv: sealed.iv,
        authTag: sealed.authTag,
        keyVersion: sealed.keyVersion,
        last4: last4(dto.apiKey),
        baseUrl,
        createdBy: caller.userId,
      });
    } catch (err) {
      if (!isUniqueViolation(err, 'provider_keys_org_name_key')) throw err;
      throw new ProviderKeyException(
        'provider_key_name_taken',
        `A provider key named "${dto.name}" already exists`,
        { errors: [{ field: 'name', message: 'another provider key has this name (names ignore case)' }] },
      );
    }
    await this.audit.record({
      action: 'provider_key.created',
      target: { type: 'provider_key', id },
      changes: { provider: dto.provider, name: dto.name, last4: last4(dto.apiKey), baseUrl },
    });
    return toDto(await this.find(caller, id));
  }

  async remove(caller: Caller, id: string): Promise<void> {
    const key = await this.find(caller, id);
    await this.keys.delete(caller.organizationId, id);
    await this.audit.record({
      action: 'provider_key.deleted',
      target: { type: 'provider_key', id },
      changes: { provider: key.provider, name: key.name, last4: key.last4 },
    });
  }

  /** Calls the provider with the key; every outcome is a 200 result. Records when the key was used. */
  async test(caller: Caller, id: string, model?: string): Promise<ProviderKeyTestResultDto> {
    const key = await this.find(caller, id);
    let result: ProviderKeyTestResultDto;
    const credentials = await this.credentialsOf(key).catch((err: unknown) => {
      if (!(err instanceof SecretBoxError)) throw err;
      this.logger.warn({ providerKeyId: id, reason: err.message }, 'a provider key could not be decrypted');
      return undefined;
    });
    if (!credentials) {
      result = {
        ok: false,
        detail:
          'The key cannot be decrypted with this server’s ENCRYPTION_KEY (was the master key changed without npm run keys:rotate?); add the key again',
      };
    } else {
      result = await testProviderKey(credentials, {
        allowPrivate: this.config.providerBaseUrlAllowPrivate,
        timeoutMs: Math.min(this.config.providerTimeoutMs, TEST_TIMEOUT_CAP_MS),
        model,
      });
      await this.keys.touch(caller.organizationId, id);
    }
    await this.audit.record({
      action: 'provider_key.tested',
      target: { type: 'provider_key', id },
      changes: {
        provider: key.provider,
        name: key.name,
        ok: result.ok,
        detail: result.detail,
        ...(model ? { model } : {}),
      },
    });
    return result;
  }

  /**
   * The decrypted key with its provider and base URL, for one call (the playground's runs use this
   * too). Throws a SecretBoxError when it cannot be opened.
   */
  async credentials(caller: Caller, id: string): Promise<ProviderCredentials> {
    return this.credentialsOf(await this.find(caller, id));
  }

  /** A key's row (no secret), 404 when the organization has no such key. */
  get(caller: Caller, id: string): Promise<ProviderKeyRow> {
    return this.find(caller, id);
  }

  /** The organization's first key (by name) for a provider, for runs that name no key. */
  firstFor(caller: Caller, provider: Provider): Promise<ProviderKeyRow | undefined> {
    return this.keys.firstForProvider(caller.organizationId, provider);
  }

  /** Sets `lastUsedAt` after a call (in the caller's tenant transaction). */
  async markUsed(organizationId: string, id: string): Promise<void> {
    await this.keys.touch(organizationId, id);
  }

  /**
   * Records a call made with `key` (as read for it, `lastUsedAt` included) after the call, in a
   * tenant transaction of its own, at most once a minute: nothing when the key was marked within
   * the last minute when it was read (a busy key is not rewritten, nor locked, by every run), and
   * the UPDATE itself skips a row another call marked meanwhile.
   */
  async markUsedAfterCall(
    scope: { organizationId: string; userId: string | null },
    key: { id: string; lastUsedAt: Date | null },
  ): Promise<void> {
    if (key.lastUsedAt && Date.now() - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    await this.transactions.run(scope, () =>
      this.keys.touchIfStale(scope.organizationId, key.id, LAST_USED_RESOLUTION_MS / 1000),
    );
  }

  /**
   * A key for a call in one statement (the playground's runs): the key `by.id` (404 when the
   * organization has none) or the first key (by name) of `by.provider` (undefined when none), the
   * price row of `model` in force now, and `open()`, which decrypts the secret (a SecretBoxError
   * when it cannot) only when the caller has decided to use the key.
   */
  async forCall(
    caller: Caller,
    by: { id: string } | { provider: Provider },
    model: string,
  ): Promise<KeyForCall | undefined> {
    return this.openForCall(await this.keys.forCall(caller.organizationId, by, model), by);
  }

  /**
   * `forCall` from a row another statement read (`keyForCallSql` embedded in it): undefined (or
   * 404 when the key was named `by.id`) without a row.
   */
  openForCall(
    row: KeyForCallRow | undefined,
    by: { id: string } | { provider: Provider },
  ): KeyForCall | undefined {
    if (!row) {
      if ('id' in by) throw notFound('Provider key');
      return undefined;
    }
    const {
      ciphertext,
      iv,
      auth_tag,
      key_version,
      price_input_per_mtok_usd,
      price_output_per_mtok_usd,
      price_source,
      ...key
    } = row;
    return {
      key,
      price:
        price_input_per_mtok_usd !== null && price_output_per_mtok_usd !== null && price_source !== null
          ? {
              inputPerMTokUsd: price_input_per_mtok_usd,
              outputPerMTokUsd: price_output_per_mtok_usd,
              source: price_source,
            }
          : null,
      open: () => ({
        provider: key.provider,
        apiKey: this.secrets.open({
          organization_id: key.organization_id,
          ciphertext,
          iv,
          auth_tag,
          key_version,
        }),
        baseUrl: key.base_url,
      }),
    };
  }

  private async credentialsOf(key: ProviderKeyRow): Promise<ProviderCredentials> {
    const sealed = await this.keys.sealed(key.organization_id, key.id);
    if (!sealed) throw notFound('Provider key');
    return { provider: key.provider, apiKey: this.secrets.open(sealed), baseUrl: key.base_url };
  }

  private async find(caller: Caller, id: string): Promise<ProviderKeyRow> {
    const key = await this.keys.find(caller.organizationId, id);
    if (!key) throw notFound('Provider key');
    return key;
  }

  /**
   * A base URL must be an absolute http(s) URL without credentials, query or fragment; https
   * unless private addresses are allowed; and, unless they are, it must not be or resolve to a
   * loopback/private/link-local address (calls check again at connect time). Returned normalized
   * without a trailing slash; required for `openai-compatible`.
   */
  private async checkBaseUrl(dto: CreateProviderKeyDto): Promise<string | null> {
    if (dto.baseUrl === undefined || dto.baseUrl.trim() === '') {
      if (dto.provider === 'openai-compatible')
        throw invalid(
          'baseUrl',
          'baseUrl is required for openai-compatible keys (e.g. http://localhost:11434/v1)',
        );
      return null;
    }
    const allowPrivate = this.config.providerBaseUrlAllowPrivate;
    let url: URL;
    try {
      url = new URL(dto.baseUrl.trim());
    } catch {
      throw invalid('baseUrl', 'baseUrl must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
      throw invalid(
        'baseUrl',
        allowPrivate ? 'baseUrl must be an absolute http(s) URL' : 'baseUrl must be an https URL',
      );
    if (url.username || url.password) throw invalid('baseUrl', 'baseUrl must not contain credentials');
    if (url.search || url.hash) throw invalid('baseUrl', 'baseUrl must not have a query or fragment');
    if (!allowPrivate) {
      const literal = privateLiteralHost(url);
      const addresses = literal
        ? [literal]
        : await lookup(url.hostname, { all: true }).then(
            (found) => found.map((a) => a.address),
            () => {
              throw invalid('baseUrl', `The host name ${url.hostname} of baseUrl could not be resolved`);
            },
          );
      const refused = addresses.find(isPrivateAddress);
      if (refused)
        throw invalid(
          'baseUrl',
          `baseUrl reaches a private address (${refused}); this server allows only public endpoints (PROVIDER_BASE_URL_ALLOW_PRIVATE)`,
        );
    }
    return url.toString().replace(/\/+$/, '');
  }
}
