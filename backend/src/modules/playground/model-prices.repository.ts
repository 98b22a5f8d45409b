import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/** Where a price comes from: the catalogue's list price (`model_prices`) or the organization's own. */
export const PRICE_SOURCES = ['catalogue', 'organization'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

/** A catalogue model's list price, in US dollars per million tokens (a row of `model_prices`). */
export interface CataloguePrice {
  model: string;
  input: number;
  output: number;
}

/** A model's price in force, in US dollars per million tokens. */
export interface ModelPrice {
  inputPerMTokUsd: number;
  outputPerMTokUsd: number;
  source: PriceSource;
}

/** A row of `organization_model_prices` (prices are numeric, hence text; null on a removal row). */
export interface OrganizationPriceRow {
  model: string;
  effective_from: Date;
  input_per_mtok_usd: string | null;
  output_per_mtok_usd: string | null;
  created_by: string | null;
}

interface PriceRow {
  model: string;
  input_per_mtok_usd: string;
  output_per_mtok_usd: string;
  source: PriceSource;
}

const toPrice = (r: PriceRow): ModelPrice => ({
  inputPerMTokUsd: Number(r.input_per_mtok_usd),
  outputPerMTokUsd: Number(r.output_per_mtok_usd),
  source: r.source,
});

/**
 * Model prices as the database holds them: the organization's dated rows
 * (`organization_model_prices`) and, for reads, `app_model_price(org, model, at)`, the one place
 * that answers "price of model M for organization O at time T" (migration 1764000800000; the usage
 * statement in `analytics/usage.sql.ts` calls the same function), and the catalogue's dated list
 * prices (`model_prices`).
 */
@Injectable()
export class ModelPricesRepository {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly dataSource: DataSource,
  ) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /** The price of each model in force now for the organization; models without one are absent. */
  async pricesNow(organizationId: string, models: readonly string[]): Promise<Map<string, ModelPrice>> {
    if (!models.length) return new Map();
    const rows = await this.em.query<PriceRow[]>(
      `SELECT m.model, p.input_per_mtok_usd::text AS input_per_mtok_usd,
              p.output_per_mtok_usd::text AS output_per_mtok_usd, p.source
         FROM unnest($2::text[]) AS m (model)
         CROSS JOIN LATERAL app_model_price($1::uuid, m.model, now()) p`,
      [organizationId, models],
    );
    return new Map(rows.map((r) => [r.model, toPrice(r)]));
  }

  /** The organization's prices in force now (latest row per model, removals left out), by model. */
  overridesNow(
    organizationId: string,
  ): Promise<Array<OrganizationPriceRow & { input_per_mtok_usd: string }>> {
    return this.em.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (model) model, effective_from, input_per_mtok_usd::text AS input_per_mtok_usd,
                output_per_mtok_usd::text AS output_per_mtok_usd, created_by
           FROM organization_model_prices
          WHERE organization_id = $1 AND effective_from <= now()
          ORDER BY model, effective_from DESC) latest
        WHERE input_per_mtok_usd IS NOT NULL
        ORDER BY model`,
      [organizationId],
    );
  }

  /** The organization's latest row for a model (a price, or a removal), if any. */
  async latest(organizationId: string, model: string): Promise<OrganizationPriceRow | undefined> {
    const [row] = await this.em.query<OrganizationPriceRow[]>(
      `SELECT model, effective_from, input_per_mtok_usd::text AS input_per_mtok_usd,
              output_per_mtok_usd::text AS output_per_mtok_usd, created_by
         FROM organization_model_prices
        WHERE organization_id = $1 AND model = $2 AND effective_from <= now()
        ORDER BY effective_from DESC LIMIT 1`,
      [organizationId, model],
    );
    return row;
  }

  /**
   * Adds a row effective from now (the transaction's time): a price, or `null` prices for "back to
   * the catalogue". Two changes at the same instant keep the later one.
   */
  async add(
    organizationId: string,
    model: string,
    price: { inputPerMTokUsd: number; outputPerMTokUsd: number } | null,
    userId: string | null,
  ): Promise<OrganizationPriceRow> {
    const [row] = await this.em.query<OrganizationPriceRow[]>(
      `INSERT INTO organization_model_prices (organization_id, model, input_per_mtok_usd, output_per_mtok_usd, created_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT organization_model_prices_key DO UPDATE SET
         input_per_mtok_usd = excluded.input_per_mtok_usd,
         output_per_mtok_usd = excluded.output_per_mtok_usd,
         created_by = excluded.created_by
       RETURNING model, effective_from, input_per_mtok_usd::text AS input_per_mtok_usd,
                 output_per_mtok_usd::text AS output_per_mtok_usd, created_by`,
      [organizationId, model, price?.inputPerMTokUsd ?? null, price?.outputPerMTokUsd ?? null, userId],
    );
    return row;
  }

  /**
   * Adds the catalogue's prices as of `asOf` where `model_prices` has no row for that model and
   * date; existing rows are never changed. Reference data, not tenant data: written on the owner's
   * connection (the runtime role may only read `model_prices`), outside any tenant transaction.
   */
  async addCataloguePrices(asOf: string, prices: readonly CataloguePrice[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO model_prices (model, effective_from, input_per_mtok_usd, output_per_mtok_usd)
       SELECT m.model, $1::timestamptz, m.input, m.output
         FROM jsonb_to_recordset($2::jsonb) AS m (model text, input numeric, output numeric)
       ON CONFLICT DO NOTHING`,
      [asOf, JSON.stringify(prices)],
    );
  }
}
