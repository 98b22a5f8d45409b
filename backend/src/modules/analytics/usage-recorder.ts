import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { Caller } from '../../common/context/request-context';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { BudgetService } from './budget.service';
import { UsageEventInsert, UsageRepository } from './usage.repository';
import type { UsageKind } from './usage.sql';

/** How often buffered counters are written. */
export const USAGE_FLUSH_INTERVAL_MS = 1000;
const MINUTE_MS = 60_000;

/** Who a counted event is attributed to (a tenant caller has all of it). */
export interface UsageActor {
  organizationId: Caller['organizationId'];
  userId: string | null;
  apiKey?: { id: string } | null;
}

/** Where a counted event happened: the prompt and, for fetches, the version and label asked for. */
export interface UsageTarget {
  promptId?: string | null;
  version?: number | null;
  label?: string | null;
}

/** A call to a model (a run, an evaluation, a call reported by a client), written durably. */
export interface RecordedCall {
  organizationId: string;
  kind: 'run' | 'call' | 'evaluation';
  model: string;
  inputTokens: number;
  outputTokens: number;
  userId?: string | null;
  apiKeyId?: string | null;
  promptId?: string | null;
  version?: number | null;
  label?: string | null;
  /** Wins over the catalogue price when given. */
  costUsd?: number | null;
  latencyMs?: number | null;
  status?: 'success' | 'error';
  occurredAt?: Date;
  metadata?: Record<string, unknown> | null;
}

type CounterKind = Extract<UsageKind, 'fetch' | 'render' | 'view' | 'search'>;

/**
 * The one way usage reaches the database (docs/analytics.md, "Events").
 *
 * - `count(...)`: hot-path counters (runtime fetch, render, view, search). Kept in memory and
 *   written every second per organization in a transaction of their own, one raw row per
 *   (minute, kind, prompt, version, label, user, API key) with a `quantity`: the request itself
 *   never writes, and a crash loses at most the last second of counters.
 * - `record(...)`: calls to a model (runs, evaluations, reported calls), written durably in the
 *   current transaction (or one of its own), priced at the event's time, followed by the budget
 *   threshold check in the same transaction. Evaluations use it in one line:
 *   `await usage.record({ organizationId, kind: 'evaluation', model, inputTokens, outputTokens, promptId, userId })`.
 */
@Injectable()
export class UsageRecorder implements OnModuleDestroy {
  private readonly logger = new Logger('Usage');
  /** organizationId → counter key → event. */
  private pending = new Map<string, Map<string, UsageEventInsert>>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: UsageRepository,
    private readonly transactions: TenantTransactions,
    private readonly budgets: BudgetService,
  ) {}

  /** Counts one hot-path event; never touches the database. */
  count(kind: CounterKind, actor: UsageActor, target: UsageTarget = {}, now = Date.now()): void {
    const minute = now - (now % MINUTE_MS);
    const apiKeyId = actor.apiKey?.id ?? null;
    const key = `${minute}|${kind}|${target.promptId ?? ''}|${target.version ?? ''}|${target.label ?? ''}|${actor.userId ?? ''}|${apiKeyId ?? ''}`;
    let org = this.pending.get(actor.organizationId);
    if (!org) this.pending.set(actor.organizationId, (org = new Map<string, UsageEventInsert>()));
    const entry = org.get(key);
    if (entry) {
      entry.quantity = (entry.quantity ?? 1) + 1;
      return;
    }
    org.set(key, {
      organization_id: actor.organizationId,
      occurred_at: new Date(minute).toISOString(),
      kind,
      quantity: 1,
      prompt_id: target.promptId ?? null,
      version: target.version ?? null,
      label: target.label ?? null,
      user_id: actor.userId ?? null,
      api_key_id: apiKeyId,
    });
  }

  /** Records calls to a model durably, in the current transaction when there is one. */
  async record(...calls: RecordedCall[]): Promise<void> {
    if (!calls.length) return;
    const organizationId = calls[0].organizationId;
    if (calls.some((c) => c.organizationId !== organizationId))
      throw new Error('UsageRecorder.record takes the calls of one organization at a time');
    const work = async () => {
      await this.repo.insert(calls.map(toInsert));
      if (calls.some((c) => c.costUsd !== 0)) await this.budgets.checkThresholds(organizationId);
    };
    if (this.transactions.active) await work();
    else await this.transactions.run({ organizationId, userId: null, system: true }, work);
  }

  /**
   * A statement that writes its own call event through `USAGE_INSERT_CTES` (a stored run,
   * `RunsRepository.store`), in the current transaction: the partition of the event's month (the
   * transaction's `now()`, a minute either side) is made sure of before it, and the budget
   * threshold check `record` does follows it when the statement found a budget (`HAS_BUDGETS_SQL`).
   */
  async inline<T extends { has_budgets: boolean }>(
    organizationId: string,
    statement: () => Promise<T>,
    now = Date.now(),
  ): Promise<T> {
    await this.repo.ensureMonths([new Date(now - MINUTE_MS), new Date(now + MINUTE_MS)]);
    const row = await this.repo.writing(statement);
    if (row.has_budgets) await this.budgets.checkThresholds(organizationId);
    return row;
  }

  /** Writes reported events that were already validated (POST /usage), in the current transaction. */
  async recordReported(organizationId: string, events: UsageEventInsert[]): Promise<void> {
    if (!events.length) return;
    await this.repo.insert(events);
    await this.budgets.checkThresholds(organizationId);
  }

  /** Ids of the prompts whose 30-day cost is in the organization's top 10 % (search's `highCost`). */
  highCostPromptIds(organizationId: string): Promise<string[]> {
    return this.repo.highCostPromptIds(organizationId);
  }

  /** Every process that serves requests counts, so every process flushes. */
  @Interval('usage-counters-flush', USAGE_FLUSH_INTERVAL_MS)
  async scheduledFlush(): Promise<void> {
    await this.flush();
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  /** Writes every buffered counter; concurrent calls run one after the other. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    for (const [organizationId, counters] of batch) {
      try {
        // System scope: counters of private prompts of any author in this organization.
        await this.transactions.run({ organizationId, userId: null, system: true }, () =>
          this.repo.insert([...counters.values()]),
        );
      } catch (err) {
        // Keep them for the next round rather than dropping them on a transient failure.
        this.logger.warn({ err, organizationId }, 'writing usage counters failed; retrying next round');
        let org = this.pending.get(organizationId);
        if (!org) this.pending.set(organizationId, (org = new Map<string, UsageEventInsert>()));
        for (const [key, e] of counters) {
          const now = org.get(key);
          if (now) now.quantity = (now.quantity ?? 1) + (e.quantity ?? 1);
          else org.set(key, e);
        }
      }
    }
  }
}

function toInsert(c: RecordedCall): UsageEventInsert {
  return {
    organization_id: c.organizationId,
    occurred_at: (c.occurredAt ?? new Date()).toISOString(),
    kind: c.kind,
    prompt_id: c.promptId ?? null,
    version: c.version ?? null,
    label: c.label ?? null,
    model: c.model,
    user_id: c.userId ?? null,
    api_key_id: c.apiKeyId ?? null,
    input_tokens: c.inputTokens,
    output_tokens: c.outputTokens,
    cost_usd: c.costUsd ?? null,
    latency_ms: c.latencyMs ?? null,
    status: c.status ?? 'success',
    metadata: c.metadata ?? null,
  };
}
