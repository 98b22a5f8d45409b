import { defineErrors } from '../../common/errors/domain.exception';

/**
 * Prompt rules a client can act on (see API-CONTRACT.md, "Prompts"). Absent prompts, bad input
 * and role checks stay the common `not_found`, `validation_failed` and `forbidden`.
 */
export class PromptException extends defineErrors('prompts', {
  /** Choose another slug (only an explicit slug; generated ones are retried with a suffix). */
  prompt_slug_taken: { status: 409, title: 'Slug already taken' },
  /** `expectedVersion` is stale: reload the prompt, merge, save again. */
  prompt_version_conflict: { status: 409, title: 'Prompt changed since your version' },
  /** Render input lacks required variables or has ill-typed ones (`errors` names each). */
  prompt_variables_invalid: { status: 422, title: 'Variables missing or of the wrong type' },
}) {}
