import { Injectable, Logger } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { BudgetService } from '../analytics/budget.service';
import { AppConfig } from '../../config/app-config';
import { PromptAccess } from '../prompts/prompt-access.service';
import type { ResolvedVersion } from '../prompts/prompt.model';
import { PromptStats } from '../prompts/prompt-stats';
import { PromptException } from '../prompts/prompts.errors';
import { notFound } from '../../common/errors/domain.exception';
import { extractVariables, renderTemplate, VariableDefinition } from '../prompts/variables';
import type { ProviderCredentials } from '../provider-keys/provider-clients';
import type { Provider } from '../provider-keys/providers';
import { costUsd, countInputTokens, DEFAULT_ESTIMATED_OUTPUT_TOKENS } from './cost';
import { CompareDto, EstimateDto, PlaygroundRunDto, RunPromptDto, RunSettingsDto } from './dto/run.dto';
import { EstimateResponseDto, ModelResponseDto, RunResponseDto } from './dto/run.response.dto';
import type { ModelPrice } from './model-prices.repository';
import { ModelPricesService } from './model-prices.service';
import { callProvider } from './provider-call';
import { keyChoice, ProviderCallResolver, ResolvedCall, unknownModel } from './provider-call-resolver';
import { keyRowOfReads, RunReadsRepository, RunReadsRow, versionOfReads } from './run-reads.repository';
import { RunStore } from './run-store';
import { PlaygroundException } from './playground.errors';
import { toRunDto } from './runs.service';

/**
 * Everything a run needs once the request's transaction has ended: what to send, to whom, with
 * which key (decrypted, in memory only), and what to store. Built inside the request transaction.
 */
export interface PreparedRun {
  organizationId: string;
  userId: string;
  /** The API key the run was asked with (usage attribution). */
  apiKeyId: string | null;
  promptId: string | null;
  version: number | null;
  model: string;
  provider: Provider;
  providerKeyId: string;
  /** When the key was last marked used, as read for the run (it is marked at most once a minute). */
  keyLastUsedAt: Date | null;
  credentials: ProviderCredentials;
  /** The organization's price in force when the run was prepared; none → cost 0. */
  price: ModelPrice | undefined;
  variables: Record<string, unknown>;
  input: string;
  temperature?: number;
  maxTokens?: number;
}

/** A finished run: the stored row, and the problem it ended with (status error). */
export interface RunResult {
  run: RunResponseDto;
  problem?: PlaygroundException;
}

/**
 * The playground: the model catalogue, estimates, runs of saved prompts and of unsaved content,
 * and comparisons (the runs list is `RunsService`, the key of a call `ProviderCallResolver`). A
 * run is prepared inside the request's tenant transaction (prompt, version, render, key), executed
 * after that transaction ended, and stored by `RunStore` in a transaction of its own
 * (docs/playground.md, "Runs").
 */
@Injectable()
export class PlaygroundService {
  private readonly logger = new Logger(PlaygroundService.name);

  constructor(
    private readonly access: PromptAccess,
    private readonly stats: PromptStats,
    private readonly calls: ProviderCallResolver,
    private readonly prices: ModelPricesService,
    private readonly config: AppConfig,
    private readonly budgets: BudgetService,
    private readonly reads: RunReadsRepository,
    private readonly runStore: RunStore,
  ) {}

  models(caller: Caller): Promise<ModelResponseDto[]> {
    return this.prices.models(caller);
  }

  async estimate(caller: Caller, promptId: string, dto: EstimateDto): Promise<EstimateResponseDto> {
    const entry = this.calls.knownModel(dto.model);
    const prompt = await this.access.loadVisible(caller, promptId);
    const snapshot = await this.access.resolveVersion(prompt, dto);
    const input = render(snapshot.content, snapshot.variables, dto.variables);
    const { tokens, exact } = countInputTokens(entry.provider, entry.id, input);
    const estimatedOutputTokens = snapshot.metadata?.maxTokens ?? DEFAULT_ESTIMATED_OUTPUT_TOKENS;
    return {
      inputTokens: tokens,
      estimatedOutputTokens,
      costUsd: costUsd(
        await this.prices.priceOf(caller.organizationId, entry.id),
        tokens,
        estimatedOutputTokens,
      ),
      exact,
    };
  }

  /**
   * A run of a saved prompt (a version, a label or the current one); counts a use like render.
   * Its reads (budget hard stops, prompt, version, key and price) are one statement sent with the
   * request transaction's COMMIT (`RunReadsRepository`); the problems and their order are those of
   * the separate reads: budget, model, prompt, version, variables, key.
   */
  async preparePromptRun(caller: Caller, promptId: string, dto: RunPromptDto): Promise<PreparedRun> {
    const key = keyChoice(dto.model, dto.providerKeyId);
    if (!key) {
      await this.budgets.assertWithinBudget(caller, { promptId });
      throw unknownModel(dto.model);
    }
    const read = await this.reads.read({
      organizationId: caller.organizationId,
      userId: caller.userId,
      promptId,
      model: dto.model,
      key,
      version:
        dto.version !== undefined
          ? { by: 'number', number: dto.version }
          : dto.label !== undefined
            ? { by: 'label', label: dto.label }
            : { by: 'current' },
    });
    this.budgets.refuseIfSpent(read.stops ?? []);
    if (!read.prompt_id) throw notFound('Prompt');
    const prepared = this.prepareFrom(
      caller,
      {
        promptId: read.prompt_id,
        snapshot: versionOfReads(read, dto),
        variables: dto.variables,
        model: dto.model,
        providerKeyId: dto.providerKeyId,
        settings: dto.settings,
      },
      read,
    );
    this.stats.countUse(caller.organizationId, read.prompt_id);
    return prepared;
  }

  /** A run of unsaved content: every placeholder is a required text variable (reads as above). */
  async prepareContentRun(caller: Caller, dto: PlaygroundRunDto): Promise<PreparedRun> {
    const key = keyChoice(dto.model, dto.providerKeyId);
    if (!key) {
      await this.budgets.assertWithinBudget(caller);
      throw unknownModel(dto.model);
    }
    const read = await this.reads.read({
      organizationId: caller.organizationId,
      userId: caller.userId,
      promptId: null,
      model: dto.model,
      key,
      version: { by: 'current' },
    });
    this.budgets.refuseIfSpent(read.stops ?? []);
    const variables: VariableDefinition[] = extractVariables(dto.content).map((name) => ({
      name,
      type: 'text',
      required: true,
    }));
    return this.prepareFrom(
      caller,
      {
        promptId: null,
        snapshot: { version: null, content: dto.content, variables, metadata: {} },
        variables: dto.variables,
        model: dto.model,
        providerKeyId: dto.providerKeyId,
        settings: dto.settings,
      },
      read,
    );
  }

  /** One prepared run per target, in order; the prompt is read once. */
  async prepareCompare(caller: Caller, promptId: string, dto: CompareDto): Promise<PreparedRun[]> {
    await this.budgets.assertWithinBudget(caller, { promptId });
    dto.targets.forEach((t, i) => {
      if (!t.providerKeyId) this.calls.knownModel(t.model, `targets[${i}].model`);
    });
    const prompt = await this.access.loadVisible(caller, promptId);
    const prepared: PreparedRun[] = [];
    for (const target of dto.targets) {
      const snapshot = await this.access.resolveVersion(prompt, target);
      prepared.push(
        await this.prepare(caller, {
          promptId: prompt.id,
          snapshot,
          variables: dto.variables,
          model: target.model,
          providerKeyId: target.providerKeyId,
          settings: dto.settings,
        }),
      );
    }
    for (let i = 0; i < prepared.length; i++) this.stats.countUse(prompt.organization_id, prompt.id);
    return prepared;
  }

  /**
   * A run of a version snapshot taken earlier (a test run's job): renders it with `variables` and
   * takes the organization's key for the model's provider. Throws like a run (422 for variables,
   * 409 for the key), so the caller can record the problem.
   */
  prepareSnapshotRun(
    caller: Caller,
    p: {
      promptId: string;
      snapshot: Pick<ResolvedVersion, 'version' | 'content' | 'variables' | 'metadata'>;
      variables: Record<string, unknown>;
      model: string;
    },
  ): Promise<PreparedRun> {
    return this.prepare(caller, p);
  }

  /**
   * Calls the provider (no database connection is held meanwhile: this runs after the request's
   * transaction) and stores the run in a tenant transaction of its own, whatever the outcome.
   */
  async execute(
    prepared: PreparedRun,
    signal: AbortSignal,
    onDelta?: (text: string) => void,
  ): Promise<RunResult> {
    const outcome = await callProvider({
      credentials: prepared.credentials,
      model: prepared.model,
      prompt: prepared.input,
      temperature: prepared.temperature,
      maxTokens: prepared.maxTokens,
      timeoutMs: this.config.providerTimeoutMs,
      allowPrivate: this.config.providerBaseUrlAllowPrivate,
      signal,
      onDelta,
    });
    const row = await this.runStore.save(prepared, outcome);
    const run = toRunDto(row);
    if (!outcome.failure) return { run };
    const f = outcome.failure;
    if (f.providerStatus !== 401)
      this.logger.warn(
        {
          runId: row.id,
          provider: prepared.provider,
          model: prepared.model,
          code: f.code,
          providerStatus: f.providerStatus,
        },
        'a provider call failed',
      );
    return {
      run,
      problem: new PlaygroundException(f.code, f.detail, {
        extensions: { providerStatus: f.providerStatus, runId: row.id },
        ...(f.retryAfter !== undefined ? { headers: { 'Retry-After': String(f.retryAfter) } } : {}),
      }),
    };
  }

  // ---------------------------------------------------------------- internals

  private async prepare(caller: Caller, p: RunSource): Promise<PreparedRun> {
    const input = render(p.snapshot.content, p.snapshot.variables, p.variables);
    return this.prepared(caller, p, input, await this.calls.resolveCall(caller, p.model, p.providerKeyId));
  }

  /** `prepare` with the key row of a run's reads instead of a read of its own. */
  private prepareFrom(caller: Caller, p: RunSource, read: RunReadsRow): PreparedRun {
    const input = render(p.snapshot.content, p.snapshot.variables, p.variables);
    return this.prepared(
      caller,
      p,
      input,
      this.calls.resolveRow(keyRowOfReads(read), p.model, p.providerKeyId),
    );
  }

  private prepared(caller: Caller, p: RunSource, input: string, call: ResolvedCall): PreparedRun {
    const { key, price, credentials } = call;
    const metadata = p.snapshot.metadata ?? {};
    const temperature = p.settings?.temperature ?? metadata.temperature;
    const maxTokens = p.settings?.maxTokens ?? metadata.maxTokens;
    return {
      organizationId: caller.organizationId,
      userId: caller.userId,
      apiKeyId: caller.apiKey?.id ?? null,
      promptId: p.promptId,
      version: p.snapshot.version,
      model: p.model,
      provider: key.provider,
      providerKeyId: key.id,
      keyLastUsedAt: key.last_used_at,
      credentials,
      price,
      variables: p.variables,
      input,
      ...(temperature !== undefined ? { temperature } : {}),
      ...(maxTokens !== undefined ? { maxTokens } : {}),
    };
  }
}

/** What a run is made of: the prompt and version snapshot, the values, the model and its key. */
interface RunSource {
  promptId: string | null;
  snapshot: Pick<ResolvedVersion, 'content' | 'variables' | 'metadata'> & { version: number | null };
  variables: Record<string, unknown>;
  model: string;
  providerKeyId?: string;
  settings?: RunSettingsDto;
}

/** Renders like POST /prompts/:id/render: missing or ill-typed variables → 422 prompt_variables_invalid. */
function render(content: string, variables: VariableDefinition[], values: Record<string, unknown>): string {
  const { rendered, errors } = renderTemplate(content, variables, values);
  if (errors.length)
    throw new PromptException('prompt_variables_invalid', 'Some variables are missing or of the wrong type', {
      errors,
    });
  return rendered;
}
