import { Injectable, Logger } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException } from '../../common/errors/domain.exception';
import { decodeCursor, Page, PageQueryDto, toPage } from '../../common/pagination/pagination';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { BudgetService } from '../analytics/budget.service';
import { UsageRecorder } from '../analytics/usage-recorder';
import { AuditService } from '../audit/audit.service';
import { PlanLimitsService } from '../billing/plan-limits.service';
import { costUsd } from '../playground/cost';
import type { ModelPrice } from '../playground/model-prices.repository';
import { catalogueModel } from '../playground/models.catalogue';
import { ProviderCallResolver } from '../playground/provider-call-resolver';
import { RunsService } from '../playground/runs.service';
import { PlaygroundException } from '../playground/playground.errors';
import { callProviderForObject } from '../playground/provider-call';
import { TIMESTAMP_TEXT } from '../prompts/prompts.sql';
import type { Grade, GradeInput, OutputGrader } from '../test-runs/output-grader';
import { PromptAccess } from '../prompts/prompt-access.service';
import type { ProviderCredentials } from '../provider-keys/provider-clients';
import type { Provider } from '../provider-keys/providers';
import { CreateEvaluationDto } from './dto/evaluation.dto';
import { EvaluationResponseDto } from './dto/evaluation.response.dto';
import { checkEvaluatorAnswer, countWords, shapeEvaluation, WORD_LIMITS } from './evaluation.rules';
import { EvaluationException } from './evaluations.errors';
import { EvaluationRow, EvaluationsRepository } from './evaluations.repository';
import { EVALUATOR_ANSWER_SCHEMA, EVALUATOR_SYSTEM_PROMPT, evaluatorInput } from './evaluator-prompt';

/** What the evaluator call needs once the request's transaction has ended (key decrypted, in memory only). */
export interface PreparedEvaluation {
  organizationId: string;
  userId: string;
  promptId: string;
  version: number;
  runId: string | null;
  output: string | null;
  input: string;
  model: string;
  provider: Provider;
  providerKeyId: string;
  credentials: ProviderCredentials;
  price: ModelPrice | undefined;
}

type EvaluationCursor = { t: string; id: string };
const isEvaluationCursor = (v: unknown): v is EvaluationCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as EvaluationCursor).t === 'string' &&
  TIMESTAMP_TEXT.test((v as EvaluationCursor).t) &&
  typeof (v as EvaluationCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as EvaluationCursor).id);

const invalid = (field: string, message: string) =>
  new AppException('validation_failed', message, { errors: [{ field, message }] });

export function toEvaluationDto(r: EvaluationRow): EvaluationResponseDto {
  return {
    id: r.id,
    promptId: r.prompt_id,
    version: r.version,
    runId: r.run_id,
    scores: {
      relevance: Number(r.relevance),
      clarity: Number(r.clarity),
      depth: Number(r.depth),
      creativity: Number(r.creativity),
      robustness: Number(r.robustness),
    },
    overall: Number(r.overall),
    excellent: r.excellent,
    ...(r.excellent
      ? { strengths: r.feedback.strengths ?? [], doesWell: r.feedback.doesWell ?? '' }
      : {
          overview: r.feedback.overview ?? '',
          suggestions: r.feedback.suggestions ?? [],
          ambiguities: r.feedback.ambiguities ?? [],
        }),
    evaluatorModel: r.evaluator_model,
    usage: { inputTokens: r.input_tokens, outputTokens: r.output_tokens },
    costUsd: Number(r.cost_usd),
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * The AI evaluator (docs/playground.md, "AI evaluator"): a prompt version, and an output given or
 * taken from a run, judged by a model on five metrics. Like a run, the evaluation is prepared in
 * the request's transaction (prompt, version, limits, plan, key), the model is called after the
 * commit (`RunResponder.json`), and the checked, shaped answer is stored with the plan check
 * repeated in a transaction of its own. An answer that fails the checks is not stored (502).
 */
@Injectable()
export class EvaluationsService implements OutputGrader {
  private readonly logger = new Logger(EvaluationsService.name);

  constructor(
    private readonly access: PromptAccess,
    private readonly calls: ProviderCallResolver,
    private readonly runs: RunsService,
    private readonly limits: PlanLimitsService,
    private readonly repo: EvaluationsRepository,
    private readonly audit: AuditService,
    private readonly transactions: TenantTransactions,
    private readonly config: AppConfig,
    private readonly budgets: BudgetService,
    private readonly usage: UsageRecorder,
  ) {
    if (!catalogueModel(config.evaluatorModel))
      throw new Error(
        `EVALUATOR_MODEL: "${config.evaluatorModel}" is not a model of the catalogue (GET /models, models.catalogue.ts)`,
      );
  }

  /** Everything but the call, inside the request's transaction; refuses before any provider is paid. */
  async prepare(caller: Caller, promptId: string, dto: CreateEvaluationDto): Promise<PreparedEvaluation> {
    if (dto.output !== undefined && dto.runId !== undefined)
      throw invalid('runId', 'Give either output or runId, not both');
    const model = dto.model ?? this.config.evaluatorModel;
    if (!catalogueModel(model))
      throw invalid('model', `${model} is not in the model catalogue (GET /models)`);
    if (dto.output !== undefined && countWords(dto.output) > WORD_LIMITS.outputWords)
      throw invalid('output', `output must have at most ${WORD_LIMITS.outputWords} words`);

    const prompt = await this.access.loadVisible(caller, promptId);
    let version = dto.version;
    let output = dto.output ?? null;
    let runId: string | null = null;
    if (dto.runId !== undefined) {
      const run = await this.runs.get(caller, dto.runId);
      if (run.promptId !== prompt.id) throw invalid('runId', 'runId must be a run of this prompt');
      if (run.status !== 'success' || run.version === null)
        throw invalid(
          'runId',
          `The run ended ${run.status}: only the output of a successful run is evaluated`,
        );
      if (version !== undefined && version !== run.version)
        throw invalid('version', `The run used version ${run.version}, not ${version}`);
      version = run.version;
      output = run.output;
      runId = run.id;
      if (countWords(output) > WORD_LIMITS.outputWords)
        throw new EvaluationException(
          'evaluation_input_too_long',
          `The run's output has more than ${WORD_LIMITS.outputWords} words, more than the evaluator reads`,
          { extensions: { limit: 'outputWords', max: WORD_LIMITS.outputWords } },
        );
    }
    const snapshot = await this.access.resolveVersion(prompt, { version });
    if (countWords(snapshot.content) > WORD_LIMITS.promptWords)
      throw new EvaluationException(
        'evaluation_input_too_long',
        `Version ${snapshot.version} has more than ${WORD_LIMITS.promptWords} words, more than the evaluator reads`,
        { extensions: { limit: 'promptWords', max: WORD_LIMITS.promptWords } },
      );

    await this.limits.assertCanEvaluate(caller.organizationId);
    await this.budgets.assertWithinBudget(caller, { promptId: prompt.id });
    const { key, price, credentials } = await this.calls.resolveCall(caller, model);
    return {
      organizationId: caller.organizationId,
      userId: caller.userId,
      promptId: prompt.id,
      version: snapshot.version,
      runId,
      output,
      input: evaluatorInput(snapshot.content, output),
      model,
      provider: key.provider,
      providerKeyId: key.id,
      credentials,
      price,
    };
  }

  /**
   * Calls the evaluator (no database connection held meanwhile), checks and shapes its answer and
   * stores it. Throws the problem to answer: a provider failure, an unusable answer, or the plan
   * limit reached meanwhile by concurrent evaluations.
   */
  async execute(p: PreparedEvaluation, signal: AbortSignal): Promise<EvaluationResponseDto> {
    const outcome = await callProviderForObject({
      credentials: p.credentials,
      model: p.model,
      system: EVALUATOR_SYSTEM_PROMPT,
      prompt: p.input,
      schema: EVALUATOR_ANSWER_SCHEMA,
      maxTokens: WORD_LIMITS.answerTokens,
      timeoutMs: this.config.providerTimeoutMs,
      allowPrivate: this.config.providerBaseUrlAllowPrivate,
      signal,
    });
    const usage = { inputTokens: outcome.inputTokens, outputTokens: outcome.outputTokens };
    if (outcome.failure) {
      const f = outcome.failure;
      throw new PlaygroundException(f.code, f.detail, {
        extensions: { providerStatus: f.providerStatus },
        ...(f.retryAfter !== undefined ? { headers: { 'Retry-After': String(f.retryAfter) } } : {}),
      });
    }
    // The client went away: the responder answers nothing.
    if (outcome.status === 'canceled') throw new DOMException('The client went away', 'AbortError');

    const check = outcome.unusable
      ? ({ ok: false, reason: outcome.unusable } as const)
      : checkEvaluatorAnswer(outcome.object);
    if (!check.ok) {
      this.logger.warn(
        { promptId: p.promptId, model: p.model, reason: check.reason },
        'the evaluator model gave an unusable answer',
      );
      throw new EvaluationException(
        'evaluator_answer_invalid',
        `The evaluator model ${p.model} answered, but ${check.reason}; nothing was stored. Evaluate again or choose another model.`,
        {
          extensions: {
            evaluatorModel: p.model,
            usage,
            costUsd: costUsd(p.price, usage.inputTokens, usage.outputTokens),
          },
        },
      );
    }

    const shaped = shapeEvaluation(check.answer);
    const row = await this.transactions.run(
      { organizationId: p.organizationId, userId: p.userId },
      async () => {
        // Again, under the organization's lock: concurrent evaluations may have used the allowance.
        await this.limits.assertCanEvaluate(p.organizationId);
        const row = await this.repo.insert({
          organizationId: p.organizationId,
          promptId: p.promptId,
          version: p.version,
          runId: p.runId,
          output: p.output,
          scores: shaped.scores,
          overall: shaped.overall,
          excellent: shaped.excellent,
          feedback: shaped.excellent
            ? { strengths: shaped.strengths, doesWell: shaped.doesWell }
            : { overview: shaped.overview, suggestions: shaped.suggestions, ambiguities: shaped.ambiguities },
          evaluatorModel: p.model,
          provider: p.provider,
          providerKeyId: p.providerKeyId,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          costUsd: costUsd(p.price, usage.inputTokens, usage.outputTokens),
          latencyMs: outcome.latencyMs,
          createdBy: p.userId,
        });
        await this.calls.markKeyUsed(p.organizationId, p.providerKeyId);
        // The evaluator's model call is usage like a run's (analytics, budgets), in the same transaction.
        await this.usage.record({
          organizationId: p.organizationId,
          kind: 'evaluation',
          model: p.model,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          promptId: p.promptId,
          version: p.version,
          userId: p.userId,
          latencyMs: outcome.latencyMs,
          occurredAt: new Date(row.created_at),
        });
        await this.audit.record({
          action: 'evaluation.created',
          target: { type: 'evaluation', id: row.id },
          changes: {
            promptId: p.promptId,
            version: p.version,
            runId: p.runId,
            evaluatorModel: p.model,
            overall: shaped.overall,
            excellent: shaped.excellent,
            costUsd: Number(row.cost_usd),
          },
        });
        return row;
      },
    );
    return toEvaluationDto(row);
  }

  /**
   * Test runs' `evaluator_min` (OUTPUT_GRADER): the run's output evaluated as any other evaluation
   * of that version (the same plan allowance, budget, key, storage and audit), as the member who
   * started the test run; called outside a transaction.
   */
  async grade(caller: Caller, input: GradeInput): Promise<Grade> {
    const prepared = await this.transactions.run(
      { organizationId: caller.organizationId, userId: caller.userId },
      () => this.prepare(caller, input.promptId, { version: input.version, runId: input.runId }),
    );
    const evaluation = await this.execute(prepared, new AbortController().signal);
    return { overall: evaluation.overall, costUsd: evaluation.costUsd };
  }

  /** A prompt's evaluations, newest first (any member who can see the prompt). */
  async list(caller: Caller, promptId: string, q: PageQueryDto): Promise<Page<EvaluationResponseDto>> {
    const prompt = await this.access.loadVisible(caller, promptId);
    const rows = await this.repo.pageOfPrompt(
      caller.organizationId,
      prompt.id,
      q.limit,
      q.cursor ? decodeCursor(q.cursor, isEvaluationCursor) : undefined,
    );
    return toPage(rows, q.limit, (r) => ({ t: r.cursor_key, id: r.id }), toEvaluationDto);
  }
}
