import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException } from '../../common/errors/domain.exception';
import { SecretBoxError } from '../../common/security/secret-box';
import type { ProviderCredentials } from '../provider-keys/provider-clients';
import type { KeyForCallRow, ProviderKeyRow } from '../provider-keys/provider-keys.repository';
import { KeyForCall, ProviderKeysService } from '../provider-keys/provider-keys.service';
import type { Provider } from '../provider-keys/providers';
import { CatalogueModel, catalogueModel } from './models.catalogue';
import type { ModelPrice, PriceSource } from './model-prices.repository';
import { PlaygroundException } from './playground.errors';

/** What a call to a model needs from the organization: the key, its decrypted secret, the price. */
export interface ResolvedCall {
  key: ProviderKeyRow;
  /** The organization's price of the model in force now (its own, else the catalogue's); none → cost 0. */
  price: ModelPrice | undefined;
  credentials: ProviderCredentials;
}

const invalid = (field: string, message: string) =>
  new AppException('validation_failed', message, { errors: [{ field, message }] });

export const unknownModel = (model: string, field = 'model') =>
  invalid(
    field,
    `${model} is not in the model catalogue (GET /models); for a model of an OpenAI-compatible endpoint, name its providerKeyId`,
  );

/**
 * Chooses and opens the organization's provider key for a call to a model: runs, the AI evaluator
 * and test runs all go through here (docs/playground.md, "Keys"). Inside the caller's tenant
 * transaction.
 */
@Injectable()
export class ProviderCallResolver {
  constructor(private readonly keys: ProviderKeysService) {}

  /**
   * The key, decrypted credentials and price of a call to `model` (see `keyFor`). 409
   * `provider_key_missing` or `provider_key_unreadable`, 400 for a model outside the catalogue
   * without a compatible key.
   */
  async resolveCall(caller: Caller, model: string, providerKeyId?: string): Promise<ResolvedCall> {
    // One statement: the key, its sealed secret and the price (a run's hot path).
    const entry = catalogueModel(model);
    if (!providerKeyId && !entry) throw unknownModel(model);
    const by = keyChoice(model, providerKeyId)!;
    return this.resolveFound(await this.keys.forCall(caller, by, model), model, providerKeyId);
  }

  /**
   * `resolveCall` from the key row a larger statement read with `keyForCallSql` (a run's reads in
   * one statement): the same answers and problems.
   */
  resolveRow(row: KeyForCallRow | undefined, model: string, providerKeyId?: string): ResolvedCall {
    const entry = catalogueModel(model);
    if (!providerKeyId && !entry) throw unknownModel(model);
    return this.resolveFound(
      this.keys.openForCall(row, keyChoice(model, providerKeyId)!),
      model,
      providerKeyId,
    );
  }

  private resolveFound(found: KeyForCall | undefined, model: string, providerKeyId?: string): ResolvedCall {
    const entry = catalogueModel(model);
    if (!found) throw keyMissing(model, entry!);
    const { key, open } = found;
    if (providerKeyId) checkKeyFits(key, model, entry);
    const price: ModelPrice | undefined = found.price
      ? {
          inputPerMTokUsd: Number(found.price.inputPerMTokUsd),
          outputPerMTokUsd: Number(found.price.outputPerMTokUsd),
          source: found.price.source as PriceSource,
        }
      : undefined;
    try {
      return { key, price, credentials: open() };
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      throw new PlaygroundException(
        'provider_key_unreadable',
        `The key "${key.name}" cannot be decrypted with this server's ENCRYPTION_KEY; add it again`,
      );
    }
  }

  /**
   * Checks that `model` can run with the organization's keys, as a run without `providerKeyId`
   * would pick them: 400 for a model outside the catalogue, 409 provider_key_missing without a key.
   * For work queued now and run later (test runs).
   */
  async checkRunnable(caller: Caller, model: string, field = 'model'): Promise<void> {
    this.knownModel(model, field);
    await this.keyFor(caller, model, undefined);
  }

  /**
   * After a run's call: marks its key used, in a transaction of its own, at most once a minute
   * (`ProviderKeysService.markUsedAfterCall`).
   */
  markKeyUsedAfterCall(
    scope: { organizationId: string; userId: string | null },
    key: { id: string; lastUsedAt: Date | null },
  ): Promise<void> {
    return this.keys.markUsedAfterCall(scope, key);
  }

  /** Marks a key used (in the current tenant transaction). */
  markKeyUsed(organizationId: string, keyId: string): Promise<void> {
    return this.keys.markUsed(organizationId, keyId);
  }

  /** The catalogue entry of `model`; 400 naming `field` when the catalogue has none. */
  knownModel(model: string, field = 'model'): CatalogueModel {
    const entry = catalogueModel(model);
    if (!entry) throw unknownModel(model, field);
    return entry;
  }

  /**
   * The key a run uses. A named key must exist (404) and fit the model: an OpenAI-compatible key
   * takes any model id (priced if the organization or the catalogue has a price for it, else
   * free); a first-party key only its provider's catalogue models. Without one, the organization's first
   * key (by name) for the model's provider; none → 409 provider_key_missing.
   */
  private async keyFor(
    caller: Caller,
    model: string,
    providerKeyId: string | undefined,
  ): Promise<ProviderKeyRow> {
    const entry = catalogueModel(model);
    if (providerKeyId) {
      const key = await this.keys.get(caller, providerKeyId);
      checkKeyFits(key, model, entry);
      return key;
    }
    if (!entry) throw unknownModel(model);
    const key = await this.keys.firstFor(caller, entry.provider);
    if (!key) throw keyMissing(model, entry);
    return key;
  }
}

/**
 * A named key fits a model when it is OpenAI-compatible (any model id), or when the model is in
 * the catalogue under the key's provider.
 */
function checkKeyFits(key: ProviderKeyRow, model: string, entry: CatalogueModel | undefined): void {
  if (key.provider === 'openai-compatible') return;
  if (!entry) throw unknownModel(model);
  if (entry.provider !== key.provider)
    throw invalid(
      'providerKeyId',
      `The key "${key.name}" is for ${key.provider}; ${model} is a ${entry.provider} model`,
    );
}

/**
 * Which key a call of `model` reads: the named one, else the first key of the model's provider in
 * the catalogue; undefined when neither (a model outside the catalogue without a key: 400).
 */
export function keyChoice(
  model: string,
  providerKeyId: string | undefined,
): { id: string } | { provider: Provider } | undefined {
  if (providerKeyId) return { id: providerKeyId };
  const entry = catalogueModel(model);
  return entry ? { provider: entry.provider } : undefined;
}

const keyMissing = (model: string, entry: CatalogueModel) =>
  new PlaygroundException(
    'provider_key_missing',
    `The organization has no ${entry.provider} key for ${model}: an OWNER or ADMIN adds one in Provider keys`,
    { extensions: { provider: entry.provider } },
  );
