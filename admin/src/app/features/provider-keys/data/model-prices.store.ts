import { computed, inject, Injectable } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import { CatalogueModel, ModelPricesApi, OrganizationPrice, SetModelPriceRequest } from './model-prices.api';

/** A price in US dollars per million tokens. */
export interface Price {
  inputPerMTokUsd: number;
  outputPerMTokUsd: number;
}

/** One row of the model prices table: a catalogue model, or a model priced by the organization only. */
export interface ModelPriceRow {
  model: string;
  name: string;
  provider: CatalogueModel['provider'] | null;
  /** The list price; null for a model outside the catalogue. */
  catalogue: Price | null;
  /** The organization's own price in force, if it set one. */
  own: (Price & { effectiveFrom: string }) | null;
}

const byModel = (a: OrganizationPrice, b: OrganizationPrice) => a.model.localeCompare(b.model);

/**
 * The catalogue with the organization's own model prices, and setting and resetting them. Only
 * for OWNER and ADMIN (who manage provider keys): other roles load nothing. Provided by the model
 * prices section (its dialog gets it through the section's injector).
 */
@Injectable()
export class ModelPricesStore {
  private readonly api = inject(ModelPricesApi);
  private readonly session = inject(SessionStore);

  readonly canManage = computed(() => this.session.ability().can('manage', 'ProviderKey'));
  private readonly organizationId = computed(() =>
    this.canManage() ? (this.session.organizationId() ?? undefined) : undefined,
  );

  private readonly models = rxResource({
    params: () => this.organizationId(),
    stream: () => this.api.models(),
  });
  private readonly prices = rxResource({
    params: () => this.organizationId(),
    stream: ({ params }) => this.api.list(params),
  });

  readonly loading = computed(() => this.models.isLoading() || this.prices.isLoading());
  readonly failed = computed(() => !!this.models.error() || !!this.prices.error());

  /** Catalogue models in catalogue order, then the organization's models outside it, by id. */
  readonly rows = computed<ModelPriceRow[] | undefined>(() => {
    const models = this.models.value();
    const prices = this.prices.value();
    if (!models || !prices) return undefined;
    const own = new Map(prices.map((p) => [p.model, p]));
    const listed = new Set(models.map((m) => m.id));
    const ownPrice = (p: OrganizationPrice | undefined) =>
      p
        ? {
            inputPerMTokUsd: p.inputPerMTokUsd,
            outputPerMTokUsd: p.outputPerMTokUsd,
            effectiveFrom: p.effectiveFrom,
          }
        : null;
    return [
      ...models.map((m) => {
        const p = own.get(m.id);
        // GET /models shows the price in force: the list price unless the organization set one.
        const catalogue =
          p?.catalogue ??
          (m.priceSource === 'catalogue'
            ? { inputPerMTokUsd: m.inputPerMTokUsd, outputPerMTokUsd: m.outputPerMTokUsd }
            : null);
        return { model: m.id, name: m.name, provider: m.provider, catalogue, own: ownPrice(p) };
      }),
      ...prices
        .filter((p) => !listed.has(p.model))
        .map((p) => ({ model: p.model, name: p.model, provider: null, catalogue: null, own: ownPrice(p) })),
    ];
  });

  /** Sets the organization's price of a model from now on. */
  async set(model: string, price: SetModelPriceRequest): Promise<OrganizationPrice> {
    const saved = await firstValueFrom(this.api.set(this.requireOrganization(), model, price));
    this.prices.update((list) => [...(list ?? []).filter((p) => p.model !== model), saved].sort(byModel));
    this.models.update((list) =>
      list?.map((m) =>
        m.id === model
          ? {
              ...m,
              inputPerMTokUsd: saved.inputPerMTokUsd,
              outputPerMTokUsd: saved.outputPerMTokUsd,
              priceSource: 'organization' as const,
            }
          : m,
      ),
    );
    return saved;
  }

  /** Back to the catalogue price from now on. */
  async reset(model: string): Promise<void> {
    const removed = this.prices.value()?.find((p) => p.model === model);
    await firstValueFrom(this.api.remove(this.requireOrganization(), model));
    this.prices.update((list) => list?.filter((p) => p.model !== model));
    const catalogue = removed?.catalogue;
    if (catalogue)
      this.models.update((list) =>
        list?.map((m) => (m.id === model ? { ...m, ...catalogue, priceSource: 'catalogue' as const } : m)),
      );
  }

  private requireOrganization(): string {
    const id = this.organizationId();
    if (!id) throw new Error('No organization whose prices this member manages');
    return id;
  }
}
