import { Injectable, Logger } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { BudgetService } from '../analytics/budget.service';
import { UsageRecorder } from '../analytics/usage-recorder';
import { costUsd } from './cost';
import type { PreparedRun } from './playground.service';
import type { CallOutcome } from './provider-call';
import { ProviderCallResolver } from './provider-call-resolver';
import { RunInsert, RunRow, RunsRepository } from './runs.repository';

/** PostgreSQL's check_violation, also what a row without a partition to go to fails with. */
const CHECK_VIOLATION = '23514';

/**
 * Stores a finished run, whatever its outcome: the run, its usage event and the key's
 * `last_used_at`, each where it belongs (docs/playground.md, "Runs").
 */
@Injectable()
export class RunStore {
  private readonly logger = new Logger(RunStore.name);

  constructor(
    private readonly runs: RunsRepository,
    private readonly transactions: TenantTransactions,
    private readonly usage: UsageRecorder,
    private readonly budgets: BudgetService,
    private readonly calls: ProviderCallResolver,
  ) {}

  /**
   * The run, the key's `last_used_at` and the run's usage event (priced at the run's time) in one
   * statement, sent with BEGIN, the scope and COMMIT in one round trip (`RunsRepository.storeAlone`);
   * the budget thresholds are checked after it, in a transaction of their own, when the
   * organization has a budget. When the event's month has no partition yet, the statement fails
   * whole and the run is stored the slower way, which creates it (`UsageRecorder.inline`).
   */
  async save(prepared: PreparedRun, outcome: CallOutcome): Promise<RunRow> {
    const { failure } = outcome;
    const scope = { organizationId: prepared.organizationId, userId: prepared.userId };
    const values: RunInsert = {
      organizationId: prepared.organizationId,
      promptId: prepared.promptId,
      version: prepared.version,
      model: prepared.model,
      provider: prepared.provider,
      providerKeyId: prepared.providerKeyId,
      variables: prepared.variables,
      input: prepared.input,
      output: outcome.output,
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      costUsd: costUsd(prepared.price, outcome.inputTokens, outcome.outputTokens),
      latencyMs: outcome.latencyMs,
      status: outcome.status,
      error: failure
        ? { code: failure.code, detail: failure.detail, providerStatus: failure.providerStatus }
        : null,
      createdBy: prepared.userId,
    };
    const usage = { apiKeyId: prepared.apiKeyId };
    let row: RunRow;
    try {
      const stored = await this.runs.storeAlone(scope, values, usage);
      if (stored.has_budgets) await this.checkThresholdsAfter(scope, stored.id);
      row = stored;
    } catch (err) {
      if ((err as { code?: string }).code !== CHECK_VIOLATION) throw err;
      row = await this.transactions.run(scope, () =>
        this.usage.inline(prepared.organizationId, () => this.runs.store(values, usage)),
      );
    }
    try {
      await this.calls.markKeyUsedAfterCall(scope, {
        id: prepared.providerKeyId,
        lastUsedAt: prepared.keyLastUsedAt,
      });
    } catch (err) {
      // The run is stored; the key's lastUsedAt is moved by its next use.
      this.logger.warn({ err, runId: row.id }, 'the provider key could not be marked used after a run');
    }
    return row;
  }

  /** After a run stored on its own: the thresholds it may have passed (see `save`). */
  private async checkThresholdsAfter(scope: { organizationId: string; userId: string }, runId: string) {
    try {
      await this.transactions.run(scope, () => this.budgets.checkThresholds(scope.organizationId));
    } catch (err) {
      // The run is stored; a threshold it passed is claimed by the next check (each wins once).
      this.logger.warn({ err, runId }, 'the budget thresholds could not be checked after a run');
    }
  }
}
