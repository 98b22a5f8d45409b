import { defineErrors } from '../../common/errors/domain.exception';

/** Test runs and the promotion gate (docs/playground.md, "Test runs"). */
export class TestRunException extends defineErrors('test-runs', {
  /** A test run needs at least one saved test case. */
  test_run_no_test_cases: { status: 409, title: 'The prompt has no test cases' },
  /**
   * The organization requires a passing test run before `production` moves: the version's last
   * finished test run is missing or did not pass entirely.
   */
  test_run_required: { status: 409, title: 'A passing test run is required' },
}) {}
