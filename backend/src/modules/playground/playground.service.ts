import { Injectable, Logger } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { SecretBoxError } from '../../common/security/secret-box';
import { BudgetService } from '../analytics/budget.service';
import { UsageRecorder } from '../analytics/usage-recorder';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { PromptAccess } from '../prompts/prompt-access.service';
import type { ResolvedVersion } from '../prompts/prompt.model';
import { PromptStats } from '../prompts/prompt-stats';
import { PromptException } from '../prompts/prompts.errors';
import { TIMESTAMP_TEXT } from '../prompts/prompts.sql';
import { extractVariables, renderTemplate, VariableDefinition } from '../prompts/variables';
import type { ProviderCredentials } from '../provider-keys/provider-clients';
import type { ProviderKeyRow } from '../provider-keys/provider-keys.repository';
import { ProviderKeysService } from '../provider-keys/provider-keys.service';
import type { Provider } from '../provider-keys/providers';
import { costUsd, countInputTokens, DEFAULT_ESTIMATED_OUTPUT_TOKENS } from './cost';
import {
  CompareDto,
  EstimateDto,
  PlaygroundRunDto,
  RunPromptDto,
  RunSettingsDto,
  RunsQueryDto,
} from './dto/run.dto';
import {
  EstimateResponseDto,
  ModelResponseDto,
  RunDetailResponseDto,
  RunResponseDto,
} from './dto/run.response.dto';
import { CatalogueModel, catalogueModel, MODEL_CATALOGUE, PRICES_AS_OF } from './models.catalogue';
import { callProvider, CallOutcome } from './provider-call';
import { PlaygroundException } from './playground.errors';
import { RunRow, RunsRepository } from './runs.repository';

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
  credentials: ProviderCredentials;
  price: CatalogueModel | undefined;
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

/** A (created_at text, id) cursor of a newest-first list (runs, test runs). */
export type RunCursor = { t: string; id: string };
export const isRunCursor = (v: unknown): v is RunCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as RunCursor).t === 'string' &&
  TIMESTAMP_TEXT.test((v as RunCursor).t) &&
  typeof (v as RunCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as RunCursor).id);

const invalid = (field: string, message: string) =>
  new AppException('validation_failed', message, { errors: [{ field, message }] });

export function toRunDto(r: RunRow): RunResponseDto {
  return {
    id: r.id,
    promptId: r.prompt_id,
    version: r.version,
    model: r.model,
    provider: r.provider,
    output: r.output,
    usage: { inputTokens: r.input_tokens, outputTokens: r.output_tokens },
    costUsd: Number(r.cost_usd),
    latencyMs: r.latency_ms,
    status: r.status,
    error: r.error,
    providerKeyId: r.provider_key_id,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const toDetailDto = (r: RunRow): RunDetailResponseDto => ({
  ...toRunDto(r),
  variables: r.variables,
  input: r.input,
});

/**
 * The playground: the model catalogue, estimates, runs of saved prompts and of unsaved content,
 * comparisons, and the runs list. A run is prepared inside the request's tenant transaction
 * (prompt, version, render, key), executed after that transaction ended, and stored in a tenant
 * transaction of its own (docs/playground.md, "Runs").
 */
@Injectable()
export class PlaygroundService {
  private readonly logger = new Logger(PlaygroundService.name);

  constructor(
    private readonly access: PromptAccess,
    private readonly stats: PromptStats,
    private readonly keys: ProviderKeysService,
    private readonly runs: RunsRepository,
    private readonly transactions: TenantTransactions,
    private readonly config: AppConfig,
    private readonly usage: UsageRecorder,
    private readonly budgets: BudgetService,
  ) {}

  models(): ModelResponseDto[] {
    return MODEL_CATALOGUE.map((m) => ({ ...m, pricesAsOf: PRICES_AS_OF }));
  }

  async estimate(caller: Caller, promptId: string, dto: EstimateDto): Promise<EstimateResponseDto> {
    const entry = this.knownModel(dto.model);
    const prompt = await this.access.loadVisible(caller, promptId);
    const snapshot = await this.access.resolveVersion(prompt, dto);
    const input = render(snapshot.content, snapshot.variables, dto.variables);
    const { tokens, exact } = countInputTokens(entry.provider, entry.id, input);
    const estimatedOutputTokens = snapshot.metadata?.maxTokens ?? DEFAULT_ESTIMATED_OUTPUT_TOKENS;
    return {
      inputTokens: tokens,
      estimatedOutputTokens,
      costUsd: costUsd(entry, tokens, estimatedOutputTokens),
      exact,
    };
  }

  /** A run of a saved prompt (a version, a label or the current one); counts a use like render. */
  async preparePromptRun(caller: Caller, promptId: string, dto: RunPromptDto): Promise<PreparedRun> {
    await this.budgets.assertWithinBudget(caller, { promptId });
    if (!dto.providerKeyId) this.knownModel(dto.model);
    const prompt = await this.access.loadVisible(caller, promptId);
    const snapshot = await this.access.resolveVersion(prompt, dto);
    const prepared = await this.prepare(caller, {
      promptId: prompt.id,
      snapshot,
      variables: dto.variables,
      model: dto.model,
      providerKeyId: dto.providerKeyId,
      settings: dto.settings,
    });
    this.stats.countUse(prompt.organization_id, prompt.id);
    return prepared;
  }

  /** A run of unsaved content: every placeholder is a required text variable. */
  async prepareContentRun(caller: Caller, dto: PlaygroundRunDto): Promise<PreparedRun> {
    await this.budgets.assertWithinBudget(caller);
    if (!dto.providerKeyId) this.knownModel(dto.model);
    const variables: VariableDefinition[] = extractVariables(dto.content).map((name) => ({
      name,
      type: 'text',
      required: true,
    }));
    return this.prepare(caller, {
      promptId: null,
      snapshot: { version: null, content: dto.content, variables, metadata: {} },
      variables: dto.variables,
      model: dto.model,
      providerKeyId: dto.providerKeyId,
      settings: dto.settings,
    });
  }

  /** One prepared run per target, in order; the prompt is read once. */
  async prepareCompare(caller: Caller, promptId: string, dto: CompareDto): Promise<PreparedRun[]> {
    await this.budgets.assertWithinBudget(caller, { promptId });
    dto.targets.forEach((t, i) => {
      if (!t.providerKeyId) this.knownModel(t.model, `targets[${i}].model`);
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
   * Checks that `model` can run with the organization's keys, as a run without `providerKeyId`
   * would pick them: 400 for a model outside the catalogue, 409 provider_key_missing without a key.
   * For work queued now and run later (test runs).
   */
  async checkRunnable(caller: Caller, model: string, field = 'model'): Promise<void> {
    this.knownModel(model, field);
    await this.keyFor(caller, model, undefined);
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
    const row = await this.store(prepared, outcome);
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

  async list(caller: Caller, q: RunsQueryDto): Promise<Page<RunDetailResponseDto>> {
    if (q.from && q.to && q.from > q.to) throw invalid('to', 'to must not be before from');
    const rows = await this.runs.page(
      caller.organizationId,
      { promptId: q.promptId, model: q.model, from: q.from, to: q.to },
      q.limit,
      q.cursor ? decodeCursor(q.cursor, isRunCursor) : undefined,
    );
    return toPage(rows, q.limit, (r) => ({ t: r.cursor_key, id: r.id }), toDetailDto);
  }

  async get(caller: Caller, id: string): Promise<RunDetailResponseDto> {
    const row = await this.runs.find(caller.organizationId, id);
    if (!row) throw notFound('Run');
    return toDetailDto(row);
  }

  /**
   * The key, decrypted credentials and price of a call to `model` (see `keyFor`); used by runs
   * and by the AI evaluator. Inside the request's transaction; 409 `provider_key_missing` or
   * `provider_key_unreadable`, 400 for a model outside the catalogue without a compatible key.
   */
  async resolveCall(
    caller: Caller,
    model: string,
    providerKeyId?: string,
  ): Promise<{ key: ProviderKeyRow; price: CatalogueModel | undefined; credentials: ProviderCredentials }> {
    const { key, price } = await this.keyFor(caller, model, providerKeyId);
    try {
      return { key, price, credentials: await this.keys.credentials(caller, key.id) };
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      throw new PlaygroundException(
        'provider_key_unreadable',
        `The key "${key.name}" cannot be decrypted with this server's ENCRYPTION_KEY; add it again`,
      );
    }
  }

  /** Marks a key used (in the current tenant transaction), as a stored run does. */
  markKeyUsed(organizationId: string, keyId: string): Promise<void> {
    return this.keys.markUsed(organizationId, keyId);
  }

  // ---------------------------------------------------------------- internals

  private async store(prepared: PreparedRun, outcome: CallOutcome): Promise<RunRow> {
    const { failure } = outcome;
    return this.transactions.run(
      { organizationId: prepared.organizationId, userId: prepared.userId },
      async () => {
        const row = await this.runs.insert({
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
        });
        await this.keys.markUsed(prepared.organizationId, prepared.providerKeyId);
        // The run's usage event, in the run's transaction (runs are the source; priced at its time).
        await this.usage.record({
          organizationId: prepared.organizationId,
          kind: 'run',
          model: prepared.model,
          inputTokens: outcome.inputTokens,
          outputTokens: outcome.outputTokens,
          promptId: prepared.promptId,
          version: prepared.version,
          userId: prepared.userId,
          apiKeyId: prepared.apiKeyId,
          latencyMs: outcome.latencyMs,
          status: outcome.status === 'success' ? 'success' : 'error',
          occurredAt: row.created_at,
        });
        return row;
      },
    );
  }

  private async prepare(
    caller: Caller,
    p: {
      promptId: string | null;
      snapshot: Pick<ResolvedVersion, 'content' | 'variables' | 'metadata'> & { version: number | null };
      variables: Record<string, unknown>;
      model: string;
      providerKeyId?: string;
      settings?: RunSettingsDto;
    },
  ): Promise<PreparedRun> {
    const input = render(p.snapshot.content, p.snapshot.variables, p.variables);
    const { key, price, credentials } = await this.resolveCall(caller, p.model, p.providerKeyId);
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
      credentials,
      price,
      variables: p.variables,
      input,
      ...(temperature !== undefined ? { temperature } : {}),
      ...(maxTokens !== undefined ? { maxTokens } : {}),
    };
  }

  /**
   * The key a run uses and the model's price. A named key must exist (404) and fit the model: an
   * OpenAI-compatible key takes any model id (priced if the id is in the catalogue, else free); a
   * first-party key only its provider's catalogue models. Without one, the organization's first
   * key (by name) for the model's provider; none → 409 provider_key_missing.
   */
  private async keyFor(
    caller: Caller,
    model: string,
    providerKeyId: string | undefined,
  ): Promise<{ key: ProviderKeyRow; price: CatalogueModel | undefined }> {
    const entry = catalogueModel(model);
    if (providerKeyId) {
      const key = await this.keys.get(caller, providerKeyId);
      if (key.provider === 'openai-compatible') return { key, price: entry };
      if (!entry) throw unknownModel(model);
      if (entry.provider !== key.provider)
        throw invalid(
          'providerKeyId',
          `The key "${key.name}" is for ${key.provider}; ${model} is a ${entry.provider} model`,
        );
      return { key, price: entry };
    }
    if (!entry) throw unknownModel(model);
    const key = await this.keys.firstFor(caller, entry.provider);
    if (!key)
      throw new PlaygroundException(
        'provider_key_missing',
        `The organization has no ${entry.provider} key for ${model}: an OWNER or ADMIN adds one in Provider keys`,
        { extensions: { provider: entry.provider } },
      );
    return { key, price: entry };
  }

  private knownModel(model: string, field = 'model'): CatalogueModel {
    const entry = catalogueModel(model);
    if (!entry) throw unknownModel(model, field);
    return entry;
  }
}

const unknownModel = (model: string, field = 'model') =>
  invalid(
    field,
    `${model} is not in the model catalogue (GET /models); for a model of an OpenAI-compatible endpoint, name its providerKeyId`,
  );

/** Renders like POST /prompts/:id/render: missing or ill-typed variables → 422 prompt_variables_invalid. */
function render(content: string, variables: VariableDefinition[], values: Record<string, unknown>): string {
  const { rendered, errors } = renderTemplate(content, variables, values);
  if (errors.length)
    throw new PromptException('prompt_variables_invalid', 'Some variables are missing or of the wrong type', {
      errors,
    });
  return rendered;
}
