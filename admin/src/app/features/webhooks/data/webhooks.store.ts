import { computed, inject, Injectable, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import { CreateWebhookRequest, WebhookDelivery, WebhookEndpoint, WebhooksApi } from './webhooks.api';

/** A secret the server showed once: kept in memory until the user dismisses it, never stored. */
export interface RevealedSecret {
  webhookId: string;
  url: string;
  secret: string;
  /** `created`: a new endpoint; `rotated`: the old secret keeps signing for 24 hours. */
  reason: 'created' | 'rotated';
}

/**
 * The current organization's webhook endpoints and the delivery log of the selected one. Provided
 * by the webhooks page (its dialog gets it through the page's injector). Only OWNER and ADMIN
 * manage webhooks; for other roles nothing loads.
 */
@Injectable()
export class WebhooksStore {
  private readonly api = inject(WebhooksApi);
  private readonly session = inject(SessionStore);

  readonly canManage = computed(() => this.session.ability().can('manage', 'Webhook'));

  readonly endpoints = rxResource({
    params: () => (this.canManage() ? (this.session.organizationId() ?? undefined) : undefined),
    stream: () => this.api.list(),
  });

  /** The secret to show once, after creating an endpoint or rotating its secret. */
  readonly revealed = signal<RevealedSecret | null>(null);

  /** The endpoint whose delivery log is shown. */
  readonly selectedId = signal<string | null>(null);
  readonly selected = computed(() => this.endpoints.value()?.find((e) => e.id === this.selectedId()) ?? null);

  private readonly extra = signal<{ items: WebhookDelivery[]; nextCursor: string | null } | null>(null);
  private readonly firstPage = rxResource({
    params: () => this.selectedId() ?? undefined,
    stream: ({ params }) => this.api.deliveries(params),
  });
  readonly loadingMore = signal(false);

  /** The selected endpoint's deliveries, newest first, with the pages loaded so far. */
  readonly deliveries = computed<WebhookDelivery[] | undefined>(() => {
    const first = this.firstPage.value();
    if (!first) return undefined;
    return [...first.items, ...(this.extra()?.items ?? [])];
  });
  readonly deliveriesLoading = computed(() => this.firstPage.isLoading());
  readonly deliveriesFailed = computed(() => !!this.firstPage.error());
  readonly hasMore = computed(() => !!(this.extra() ?? this.firstPage.value())?.nextCursor);

  select(endpoint: WebhookEndpoint | null): void {
    this.extra.set(null);
    this.selectedId.set(endpoint?.id ?? null);
  }

  /** Reloads the selected endpoint's log from its newest delivery. */
  refreshDeliveries(): void {
    this.extra.set(null);
    this.firstPage.reload();
  }

  async loadMore(): Promise<void> {
    const id = this.selectedId();
    const cursor = (this.extra() ?? this.firstPage.value())?.nextCursor;
    if (!id || !cursor || this.loadingMore()) return;
    this.loadingMore.set(true);
    try {
      const page = await firstValueFrom(this.api.deliveries(id, cursor));
      this.extra.update((before) => ({
        items: [...(before?.items ?? []), ...page.items],
        nextCursor: page.nextCursor,
      }));
    } finally {
      this.loadingMore.set(false);
    }
  }

  async create(body: CreateWebhookRequest): Promise<WebhookEndpoint> {
    const { secret, ...endpoint } = await firstValueFrom(this.api.create(body));
    this.endpoints.update((list) => [...(list ?? []), endpoint]);
    this.revealed.set({ webhookId: endpoint.id, url: endpoint.url, secret, reason: 'created' });
    return endpoint;
  }

  async setEnabled(endpoint: WebhookEndpoint, enabled: boolean): Promise<void> {
    const updated = await firstValueFrom(this.api.update(endpoint.id, { enabled }));
    this.replace(updated);
  }

  async remove(endpoint: WebhookEndpoint): Promise<void> {
    await firstValueFrom(this.api.remove(endpoint.id));
    this.endpoints.update((list) => list?.filter((e) => e.id !== endpoint.id));
    if (this.selectedId() === endpoint.id) this.select(null);
    if (this.revealed()?.webhookId === endpoint.id) this.revealed.set(null);
  }

  async rotateSecret(endpoint: WebhookEndpoint): Promise<void> {
    const { secret } = await firstValueFrom(this.api.rotateSecret(endpoint.id));
    this.revealed.set({ webhookId: endpoint.id, url: endpoint.url, secret, reason: 'rotated' });
  }

  /** Queues a test event; the log of that endpoint is shown and reloaded. */
  async test(endpoint: WebhookEndpoint): Promise<void> {
    await firstValueFrom(this.api.test(endpoint.id));
    if (this.selectedId() === endpoint.id) this.refreshDeliveries();
    else this.select(endpoint);
  }

  async redeliver(delivery: WebhookDelivery): Promise<void> {
    const id = this.selectedId();
    if (!id) return;
    await firstValueFrom(this.api.redeliver(id, delivery.id));
    this.refreshDeliveries();
  }

  private replace(updated: WebhookEndpoint): void {
    this.endpoints.update((list) => list?.map((e) => (e.id === updated.id ? updated : e)));
  }
}
