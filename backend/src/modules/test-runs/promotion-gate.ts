import { Injectable } from '@nestjs/common';
import { TestRunException } from './test-runs.errors';
import { TestRunsRepository } from './test-runs.repository';

/**
 * The promotion gate (docs/playground.md, "Test runs"): when the organization requires it, a
 * version may become `production` only if its last finished test run passed entirely.
 */
@Injectable()
export class PromotionGate {
  constructor(private readonly testRuns: TestRunsRepository) {}

  /**
   * Inside the label move's transaction. `required`: the organization's
   * `requireTestRunForProduction` setting. 409 test_run_required when the version has no finished
   * test run, or its last one did not pass.
   */
  async assertPromotable(promptId: string, version: number, required: boolean): Promise<void> {
    if (!required) return;
    const last = await this.testRuns.lastFinished(promptId, version);
    if (!last)
      throw new TestRunException(
        'test_run_required',
        `Version ${version} has no finished test run; the organization requires a passing one before production (POST /prompts/${promptId}/test-runs)`,
        { extensions: { version, testRunId: null } },
      );
    if (!last.passed)
      throw new TestRunException(
        'test_run_required',
        `The last test run of version ${version} did not pass; the organization requires a passing one before production`,
        { extensions: { version, testRunId: last.id } },
      );
  }
}
