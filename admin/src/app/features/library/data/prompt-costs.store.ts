import { computed, inject, Injectable, signal } from '@angular/core';
import { AnalyticsApi } from '../../analytics/data/analytics.api';
import { formatUsd } from '../../analytics/data/format';

/** As many prompts as the top-prompts route answers at once. */
const TOP = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

type CostState =
  | { kind: 'idle' }
  | { kind: 'loaded'; organizationId: string; costs: ReadonlyMap<string, number>; complete: boolean }
  | { kind: 'unavailable'; organizationId: string };

/**
 * The 30-day cost of each prompt for the library's compact list, read once per organization from
 * the analytics top prompts by cost. A prompt missing from a complete answer (fewer than the limit)
 * cost nothing; when analytics cannot be read (plan, network) the column says so with a dash.
 */
@Injectable()
export class PromptCostsStore {
  private readonly api = inject(AnalyticsApi);
  private readonly state = signal<CostState>({ kind: 'idle' });

  readonly loaded = computed(() => this.state().kind === 'loaded');

  load(organizationId: string): void {
    const state = this.state();
    if (state.kind !== 'idle' && state.organizationId === organizationId) return;
    const to = new Date();
    const from = new Date(to.getTime() - 30 * DAY_MS);
    this.api.topPrompts({ from: from.toISOString(), to: to.toISOString() }, 'cost', TOP).subscribe({
      next: ({ items }) =>
        this.state.set({
          kind: 'loaded',
          organizationId,
          costs: new Map(items.map((item) => [item.promptId, item.value])),
          complete: items.length < TOP,
        }),
      error: () => this.state.set({ kind: 'unavailable', organizationId }),
    });
  }

  /** "$1.25", "$0.00" for a prompt that cost nothing, "—" when unknown. */
  costText(promptId: string): string {
    const state = this.state();
    if (state.kind !== 'loaded') return '—';
    const cost = state.costs.get(promptId);
    if (cost !== undefined) return formatUsd(cost);
    return state.complete ? formatUsd(0) : '—';
  }
}
