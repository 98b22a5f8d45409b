import { computed, inject, Injectable, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import {
  CreateProviderKeyRequest,
  ProviderKey,
  ProviderKeysApi,
  ProviderKeyTestResult,
} from './provider-keys.api';

/**
 * The current organization's provider keys, and adding, testing and deleting them. Provided by
 * the provider keys page (its dialog gets it through the page's injector). OWNER and ADMIN manage
 * keys; EDITOR sees the list; VIEWER does not load it at all.
 */
@Injectable()
export class ProviderKeysStore {
  private readonly api = inject(ProviderKeysApi);
  private readonly session = inject(SessionStore);

  readonly canRead = computed(() => this.session.ability().can('read', 'ProviderKey'));
  readonly canManage = computed(() => this.session.ability().can('manage', 'ProviderKey'));

  readonly keys = rxResource({
    params: () => (this.canRead() ? (this.session.organizationId() ?? undefined) : undefined),
    stream: () => this.api.list(),
  });

  private readonly results = signal<ReadonlyMap<string, ProviderKeyTestResult>>(new Map());
  private readonly running = signal<ReadonlySet<string>>(new Set());

  /** The outcome of the last test of a key in this page visit. */
  resultOf(key: ProviderKey): ProviderKeyTestResult | undefined {
    return this.results().get(key.id);
  }

  isTesting(key: ProviderKey): boolean {
    return this.running().has(key.id);
  }

  async create(body: CreateProviderKeyRequest): Promise<ProviderKey> {
    const key = await firstValueFrom(this.api.create(body));
    this.keys.update((keys) => [...(keys ?? []), key].sort((a, b) => a.name.localeCompare(b.name)));
    return key;
  }

  async remove(key: ProviderKey): Promise<void> {
    await firstValueFrom(this.api.remove(key.id));
    this.keys.update((keys) => keys?.filter((k) => k.id !== key.id));
    this.results.update((results) => {
      const next = new Map(results);
      next.delete(key.id);
      return next;
    });
  }

  /** Tests the key; the answer is a result either way (`ok: false` for a refused key). */
  async test(key: ProviderKey): Promise<ProviderKeyTestResult> {
    this.running.update((ids) => new Set(ids).add(key.id));
    try {
      const result = await firstValueFrom(this.api.test(key.id));
      this.results.update((results) => new Map(results).set(key.id, result));
      const usedAt = new Date().toISOString();
      this.keys.update((keys) => keys?.map((k) => (k.id === key.id ? { ...k, lastUsedAt: usedAt } : k)));
      return result;
    } finally {
      this.running.update((ids) => {
        const next = new Set(ids);
        next.delete(key.id);
        return next;
      });
    }
  }
}
