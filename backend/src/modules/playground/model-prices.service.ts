import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { notFound } from '../../common/errors/domain.exception';
import { AuditService } from '../audit/audit.service';
import { ModelPriceResponseDto, SetModelPriceDto } from './dto/model-price.dto';
import { ModelResponseDto } from './dto/run.response.dto';
import { catalogueModel, MODEL_CATALOGUE, PRICES_AS_OF } from './models.catalogue';
import { ModelPrice, ModelPricesRepository, OrganizationPriceRow } from './model-prices.repository';

const cataloguePrice = (model: string) => {
  const entry = catalogueModel(model);
  return entry ? { inputPerMTokUsd: entry.inputPerMTokUsd, outputPerMTokUsd: entry.outputPerMTokUsd } : null;
};

const toDto = (r: OrganizationPriceRow & { input_per_mtok_usd: string }): ModelPriceResponseDto => ({
  model: r.model,
  inputPerMTokUsd: Number(r.input_per_mtok_usd),
  outputPerMTokUsd: Number(r.output_per_mtok_usd),
  effectiveFrom: new Date(r.effective_from).toISOString(),
  catalogue: cataloguePrice(r.model),
});

/**
 * Model prices (docs/playground.md, "Prices"): the catalogue's list prices, which an organization
 * may replace with its own per model (negotiated rates, a self-hosted model's cost). Prices are
 * dated: a change applies from then on and never re-prices what was already costed. Every read of
 * a price goes through `ModelPricesRepository` (the database function `app_model_price`).
 *
 * At boot (every process) the catalogue's current prices are added to `model_prices` as of
 * `PRICES_AS_OF`: a price change in the catalogue becomes a new dated row, older events keep their
 * cost (docs/analytics.md, "Costs").
 */
@Injectable()
export class ModelPricesService implements OnApplicationBootstrap {
  constructor(
    private readonly prices: ModelPricesRepository,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.syncCatalogue();
  }

  /** Adds the catalogue's prices as of `PRICES_AS_OF` where missing (existing rows stay as they are). */
  syncCatalogue(): Promise<void> {
    return this.prices.addCataloguePrices(
      PRICES_AS_OF,
      MODEL_CATALOGUE.map((m) => ({ model: m.id, input: m.inputPerMTokUsd, output: m.outputPerMTokUsd })),
    );
  }

  /** The price of a call to `model` now for the organization; undefined when it has none (cost 0). */
  async priceOf(organizationId: string, model: string): Promise<ModelPrice | undefined> {
    return (await this.prices.pricesNow(organizationId, [model])).get(model);
  }

  /** `GET /models`: the catalogue with the caller organization's prices in force. */
  async models(caller: Caller): Promise<ModelResponseDto[]> {
    const prices = await this.prices.pricesNow(
      caller.organizationId,
      MODEL_CATALOGUE.map((m) => m.id),
    );
    return MODEL_CATALOGUE.map((m) => {
      const price = prices.get(m.id);
      return {
        ...m,
        inputPerMTokUsd: price?.inputPerMTokUsd ?? m.inputPerMTokUsd,
        outputPerMTokUsd: price?.outputPerMTokUsd ?? m.outputPerMTokUsd,
        pricesAsOf: PRICES_AS_OF,
        priceSource: price?.source ?? 'catalogue',
      };
    });
  }

  /** The organization's own prices in force, by model id. */
  async list(caller: Caller): Promise<ModelPriceResponseDto[]> {
    return (await this.prices.overridesNow(caller.organizationId)).map(toDto);
  }

  /** Sets the organization's price of a model from now on; earlier usage keeps its cost. */
  async set(caller: Caller, model: string, dto: SetModelPriceDto): Promise<ModelPriceResponseDto> {
    const before = await this.prices.latest(caller.organizationId, model);
    const row = await this.prices.add(
      caller.organizationId,
      model,
      { inputPerMTokUsd: dto.inputPerMTokUsd, outputPerMTokUsd: dto.outputPerMTokUsd },
      caller.userId,
    );
    const saved = toDto({ ...row, input_per_mtok_usd: row.input_per_mtok_usd ?? '0' });
    await this.audit.record({
      action: 'organization.model_price_set',
      target: { type: 'model_price', id: model },
      changes: {
        model,
        before: inForce(before),
        after: { inputPerMTokUsd: saved.inputPerMTokUsd, outputPerMTokUsd: saved.outputPerMTokUsd },
        effectiveFrom: saved.effectiveFrom,
      },
    });
    return saved;
  }

  /** Back to the catalogue price from now on (404 without a price of the organization in force). */
  async remove(caller: Caller, model: string): Promise<void> {
    const before = inForce(await this.prices.latest(caller.organizationId, model));
    if (!before) throw notFound('Model price');
    const row = await this.prices.add(caller.organizationId, model, null, caller.userId);
    await this.audit.record({
      action: 'organization.model_price_removed',
      target: { type: 'model_price', id: model },
      changes: { model, before, after: null, effectiveFrom: new Date(row.effective_from).toISOString() },
    });
  }
}

/** The price a row puts in force, or null for none / a removal. */
function inForce(
  row: OrganizationPriceRow | undefined,
): { inputPerMTokUsd: number; outputPerMTokUsd: number } | null {
  if (!row || row.input_per_mtok_usd === null || row.output_per_mtok_usd === null) return null;
  return {
    inputPerMTokUsd: Number(row.input_per_mtok_usd),
    outputPerMTokUsd: Number(row.output_per_mtok_usd),
  };
}
