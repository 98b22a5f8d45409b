import type { Caller } from '../../common/context/request-context';

/**
 * What an `evaluator_min` assertion needs: something that grades a model output for a prompt. The
 * evaluations module provides it (`{ provide: OUTPUT_GRADER, useExisting: … }`, exported); test runs
 * find it at run time, so neither module imports the other. Without a provider, `evaluator_min`
 * fails with "no evaluator available".
 */
export const OUTPUT_GRADER = Symbol('OUTPUT_GRADER');

export interface GradeInput {
  /** The prompt, version and stored run whose output is graded. */
  promptId: string;
  version: number;
  runId: string;
  /** The rendered prompt the output answers. */
  promptContent: string;
  output: string;
  /** The model that produced the output. */
  model: string;
}

export interface Grade {
  /** The evaluator's overall score, 1–5. */
  overall: number;
  /** What grading cost (the evaluator's own model call), USD. */
  costUsd: number;
}

export interface OutputGrader {
  /**
   * Grades `output`, as `caller` (the member who started the test run: plan limits and keys are
   * theirs). Called outside any transaction; may reject (the assertion then fails with the reason).
   */
  grade(caller: Caller, input: GradeInput): Promise<Grade>;
}
