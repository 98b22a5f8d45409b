import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ModuleRef } from '@nestjs/core';
import type { Caller } from '../../common/context/request-context';
import { DomainException } from '../../common/errors/domain.exception';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobQueue } from '../../queue/job-queue';
import { QueueName } from '../../queue/queue.constants';
import { BudgetService } from '../analytics/budget.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { PlaygroundService, PreparedRun, RunResult } from '../playground/playground.service';
import { Assertion, AssertionResult, checkOutput } from './assertions';
import { GradeInput, OUTPUT_GRADER, OutputGrader } from './output-grader';
import { CaseSnapshot, pairKey, ResultInsert, TestRunRow, TestRunsRepository } from './test-runs.repository';

/** The job of the test-runs queue: run (or resume) one test run. */
export const TEST_RUN_JOB = 'run';
/** Pairs (case × model) in flight at once within one test run. */
export const PAIR_CONCURRENCY = 3;
/** A run taken this many times without finishing is given up (`failed`). */
export const MAX_CLAIMS = 5;
/** Calls of one pair to a provider that rate limits (429) before the pair is recorded as failed. */
export const RATE_LIMIT_ATTEMPTS = 3;
/** The most one pair waits, in total, for a provider's rate limit before it is recorded as failed. */
export const RATE_LIMIT_MAX_WAIT_MS = 60_000;
/** The first backoff when the provider's Retry-After is shorter; doubled at each attempt. */
export const RATE_LIMIT_BACKOFF_MS = 1_000;
const round10 = (n: number) => Math.round(n * 1e10) / 1e10;

/**
 * How long to wait before attempt `attempt + 1` of a rate-limited call: the provider's Retry-After
 * (seconds), at least the exponential backoff (1 s, 2 s, …).
 */
export function rateLimitWaitMs(retryAfter: string | undefined, attempt: number): number {
  const seconds = Number(retryAfter);
  const told = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
  return Math.max(told, RATE_LIMIT_BACKOFF_MS * 2 ** (attempt - 1));
}

interface Pair {
  testCase: CaseSnapshot;
  position: number;
  model: string;
}

/**
 * Runs a test run: every saved case × model through the playground's provider call (each call is
 * stored as a run, so analytics sees it), applies the case's assertions and stores one result per
 * pair. Resumable: a job takes the run under a lease, skips pairs that already have a result, and
 * extends the lease after each one; when a worker dies, the lease expires and the sweeper (or the
 * queue's retry) hands the run to another job, which carries on where the results stop.
 */
@Injectable()
export class TestRunner implements OnApplicationShutdown {
  private readonly logger = new Logger(TestRunner.name);
  private readonly stopping = new AbortController();

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly testRuns: TestRunsRepository,
    private readonly playground: PlaygroundService,
    private readonly organizations: OrganizationsService,
    private readonly queue: JobQueue,
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
    private readonly budgets: BudgetService,
  ) {}

  /** How long a job holds a run between two results: two provider timeouts (call and grading) and a margin. */
  get leaseMs(): number {
    return this.config.providerTimeoutMs * 2 + 30_000;
  }

  async enqueue(organizationId: string, testRunId: string): Promise<void> {
    try {
      await this.queue.add(QueueName.TestRuns, TEST_RUN_JOB, { organizationId, testRunId });
    } catch (err) {
      this.logger.warn({ err, testRunId }, 'could not enqueue a test run; the resume sweeper will');
    }
  }

  /** Enqueues unfinished runs that no worker holds (lost enqueues, dead workers, restarts). */
  async resumeStalled(graceMs = 30_000): Promise<number> {
    const stalled = await this.transactions.run({ organizationId: null, userId: null, system: true }, () =>
      this.testRuns.stalled(graceMs, 100),
    );
    for (const r of stalled) await this.enqueue(r.organization_id, r.id);
    return stalled.length;
  }

  /** The job: takes the run (or leaves it to the job that holds it) and runs its missing pairs. */
  async run(organizationId: string, testRunId: string): Promise<void> {
    const system = { organizationId, userId: null, system: true };
    const run = await this.transactions.run(system, () =>
      this.testRuns.claim(organizationId, testRunId, this.leaseMs),
    );
    if (!run) return;
    try {
      await this.runClaimed(run);
    } catch (err) {
      // Nothing of this job touches the run any more (see runClaimed): let the queue's retry (or
      // the sweeper) take it again at once instead of after the lease.
      await this.transactions.run(system, () => this.testRuns.release(run.id)).catch(() => undefined);
      throw err;
    }
  }

  onApplicationShutdown(): void {
    this.stopping.abort();
  }

  /**
   * A claimed run: checks its member, then runs the pairs without a result, PAIR_CONCURRENCY at a
   * time. When one pair throws (a database error: the pair's result is not stored), no further
   * pair starts and the ones in flight finish (their results are kept, and each extends the
   * lease) before the error goes up, so the release that follows is the last write of this job.
   */
  private async runClaimed(run: TestRunRow): Promise<void> {
    const organizationId = run.organization_id;
    const system = { organizationId, userId: null, system: true };
    const fail = (error: string) =>
      this.transactions.run(system, () => this.testRuns.finish(run.id, { status: 'failed', error }));
    if (run.claims > MAX_CLAIMS)
      return fail(`The test run was interrupted ${MAX_CLAIMS} times and was given up`);
    if (!run.created_by) return fail('The member who started the test run no longer exists');
    const scope = { organizationId, userId: run.created_by };
    const [member] = await this.transactions.run(scope, () =>
      this.organizations.members(organizationId, run.created_by!),
    );
    if (!member) return fail('The member who started the test run is no longer in the organization');
    const caller: Caller = {
      userId: member.userId,
      email: member.email,
      sessionId: null,
      apiKey: null,
      organizationId,
      role: member.role,
    };
    const done = await this.transactions.run(scope, () => this.testRuns.donePairs(run.id));
    const pending: Pair[] = [];
    run.cases.forEach((testCase, position) => {
      for (const model of run.models)
        if (!done.has(pairKey(testCase.id, model))) pending.push({ testCase, position, model });
    });
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < pending.length && !failed && !this.stopping.signal.aborted) {
        const pair = pending[next++];
        try {
          const result = await this.runPair(caller, run, pair);
          // null: stopping while the pair waited out a rate limit; the resumed job runs it.
          if (result) await this.transactions.run(scope, () => this.testRuns.addResult(result, this.leaseMs));
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    };
    const workers = await Promise.allSettled(
      Array.from({ length: Math.min(PAIR_CONCURRENCY, pending.length) }, worker),
    );
    const error = workers.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (error) throw error.reason;
    // Shutting down: the lease lapses and another process resumes.
    if (this.stopping.signal.aborted) return;
    await this.transactions.run(scope, () => this.testRuns.finish(run.id, { status: 'done' }));
  }

  /**
   * One case × model: the budget check, the provider call (stored as a run; retried while the
   * provider rate limits, see `call`), then the assertions. Never throws for a failed call; null
   * when the process stops while the pair waits, so that the resumed job runs the pair.
   */
  private async runPair(caller: Caller, run: TestRunRow, pair: Pair): Promise<ResultInsert | null> {
    const base = {
      organizationId: run.organization_id,
      testRunId: run.id,
      testCaseId: pair.testCase.id,
      testCaseName: pair.testCase.name,
      position: pair.position,
      model: pair.model,
    };
    const failed = (code: string, detail: string, extra: Partial<ResultInsert> = {}): ResultInsert => ({
      ...base,
      runId: null,
      passed: false,
      output: '',
      assertions: [],
      costUsd: 0,
      error: { code, detail },
      ...extra,
    });
    let prepared: PreparedRun;
    try {
      prepared = await this.transactions.run(
        { organizationId: caller.organizationId, userId: caller.userId },
        async () => {
          await this.budgets.assertWithinBudget(caller, { promptId: run.prompt_id });
          return this.playground.prepareSnapshotRun(caller, {
            promptId: run.prompt_id,
            snapshot: run.snapshot,
            variables: pair.testCase.variables,
            model: pair.model,
          });
        },
      );
    } catch (err) {
      if (!(err instanceof DomainException)) throw err;
      const fields = err.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
      return failed(err.code, fields ? `${err.message} (${fields})` : err.message);
    }
    const called = await this.call(caller, run, prepared);
    if (!called) return null;
    const { run: stored, problem } = called;
    const runPart = { runId: stored.id, output: stored.output, costUsd: stored.costUsd };
    if (problem) return failed(problem.code, problem.message, runPart);
    const assertions: AssertionResult[] = [];
    let cost = stored.costUsd;
    for (const a of pair.testCase.assertions) {
      if (a.type !== 'evaluator_min') {
        assertions.push(checkOutput(a, stored.output));
        continue;
      }
      const graded = await this.grade(caller, a, {
        promptId: run.prompt_id,
        version: run.snapshot.version,
        runId: stored.id,
        promptContent: prepared.input,
        output: stored.output,
        model: pair.model,
      });
      cost += graded.costUsd;
      assertions.push(graded.result);
    }
    return {
      ...base,
      ...runPart,
      passed: assertions.every((a) => a.passed),
      assertions,
      costUsd: round10(cost),
      error: null,
    };
  }

  /**
   * The provider call, retried while the provider answers 429: up to RATE_LIMIT_ATTEMPTS calls,
   * waiting its Retry-After (at least the backoff) in between, at most RATE_LIMIT_MAX_WAIT_MS in
   * all; then the last answer stands (recorded as a failed result with `provider_rate_limited`).
   * The lease is extended before each wait. Null when the process stops during a wait.
   */
  private async call(caller: Caller, run: TestRunRow, prepared: PreparedRun): Promise<RunResult | null> {
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const result = await this.playground.execute(prepared, this.stopping.signal);
      if (result.problem?.code !== 'provider_rate_limited' || attempt >= RATE_LIMIT_ATTEMPTS) return result;
      const wait = rateLimitWaitMs(result.problem.headers?.['Retry-After'], attempt);
      if (waited + wait > RATE_LIMIT_MAX_WAIT_MS) return result;
      waited += wait;
      await this.transactions.run({ organizationId: caller.organizationId, userId: caller.userId }, () =>
        this.testRuns.extendLease(run.id, this.leaseMs + wait),
      );
      try {
        await sleep(wait, undefined, { signal: this.stopping.signal });
      } catch {
        return null;
      }
    }
  }

  private async grade(
    caller: Caller,
    a: Extract<Assertion, { type: 'evaluator_min' }>,
    input: GradeInput,
  ): Promise<{ result: AssertionResult; costUsd: number }> {
    const grader = this.grader();
    const result = (passed: boolean, detail: string): AssertionResult => ({ type: a.type, passed, detail });
    if (!grader) return { result: result(false, 'no evaluator available'), costUsd: 0 };
    try {
      const { overall, costUsd } = await grader.grade(caller, input);
      return {
        result:
          overall >= a.min
            ? result(true, `graded ${overall} (at least ${a.min})`)
            : result(false, `graded ${overall}, below ${a.min}`),
        costUsd: Number.isFinite(costUsd) && costUsd > 0 ? costUsd : 0,
      };
    } catch (err) {
      const detail = err instanceof DomainException ? `${err.code}: ${err.message}` : 'the evaluator failed';
      if (!(err instanceof DomainException)) this.logger.warn({ err }, 'the evaluator failed in a test run');
      return { result: result(false, `not graded: ${detail}`), costUsd: 0 };
    }
  }

  /** The evaluator, if a module provides one (see OUTPUT_GRADER). */
  private grader(): OutputGrader | undefined {
    try {
      return this.moduleRef.get<OutputGrader>(OUTPUT_GRADER, { strict: false });
    } catch {
      return undefined;
    }
  }
}
