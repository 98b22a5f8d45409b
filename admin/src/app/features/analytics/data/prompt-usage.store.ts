import { inject, Injectable, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { AnalyticsApi, Period } from './analytics.api';

interface UsageQuery {
  promptId: string;
  period: Period;
}

const sameQuery = (a: UsageQuery | undefined, b: UsageQuery | undefined): boolean =>
  a === b ||
  (!!a && !!b && a.promptId === b.promptId && a.period.from === b.period.from && a.period.to === b.period.to);

/**
 * One prompt's usage over a period (`GET /prompts/:id/usage`), for the prompt page's usage card:
 * `show` picks the prompt and period (asking again only when either changes), `usage` is the
 * answer as a resource (value, error, loading). Provided by the component that shows it.
 */
@Injectable()
export class PromptUsageStore {
  private readonly api = inject(AnalyticsApi);
  private readonly query = signal<UsageQuery | undefined>(undefined, { equal: sameQuery });

  readonly usage = rxResource({
    params: () => this.query(),
    stream: ({ params }) => this.api.promptUsage(params.promptId, params.period),
  });

  show(promptId: string, period: Period): void {
    this.query.set({ promptId, period });
  }
}
