import { HttpErrorResponse } from '@angular/common/http';
import { ProblemError } from '../../../core/http/problem';
import { problemMessage, UNREACHABLE_MESSAGE } from '../../../core/http/problem.interceptor';

/**
 * The problem `code`s of the library's domains that the console acts on or words itself, as the
 * API's catalogues define them (backend/src/modules/{prompts,versions,taxonomy,collaboration}/
 * *.errors.ts). Pages branch on these, never on the status alone (one 409 means a stale version,
 * another a taken slug) and never on `detail` text.
 */
export const LibraryErrorCode = {
  promptSlugTaken: 'prompt_slug_taken',
  promptVersionConflict: 'prompt_version_conflict',
  promptVariablesInvalid: 'prompt_variables_invalid',
  versionNotFound: 'version_not_found',
  versionLabelNotFound: 'version_label_not_found',
  tagNameTaken: 'tag_name_taken',
  categoryNameTaken: 'category_name_taken',
  collectionNameTaken: 'collection_name_taken',
  collectionCycle: 'collection_cycle',
  collectionNotEmpty: 'collection_not_empty',
  commentParentDeleted: 'comment_parent_deleted',
} as const;
export type LibraryErrorCode = (typeof LibraryErrorCode)[keyof typeof LibraryErrorCode];

/** What the console says for each library code; the server's `detail` is only the fallback. */
export const LIBRARY_ERROR_MESSAGES: Readonly<Record<LibraryErrorCode, string>> = {
  prompt_slug_taken: 'Another prompt in this organization already uses this slug.',
  prompt_version_conflict: 'Someone else saved a newer version of this prompt.',
  prompt_variables_invalid: 'Fill in the highlighted variables.',
  version_not_found: 'That version of the prompt does not exist.',
  version_label_not_found: 'No version of the prompt carries that label.',
  tag_name_taken: 'A tag with this name already exists.',
  category_name_taken: 'A category with this name already exists.',
  collection_name_taken: 'A collection with this name already exists at this place.',
  collection_cycle: 'A collection cannot be moved under itself or one of its sub-collections.',
  collection_not_empty: 'The collection has sub-collections or prompts.',
  comment_parent_deleted: 'The comment you replied to was deleted; post a new comment instead.',
};

/** The problem `code` of a failed call, or null for a failure without a problem document. */
export function errorCode(error: unknown): string | null {
  return error instanceof ProblemError ? (error.problem.code ?? null) : null;
}

/** Whether a failed call answered with the given code. */
export function hasCode(error: unknown, code: LibraryErrorCode): boolean {
  return errorCode(error) === code;
}

function isLibraryCode(code: string | null): code is LibraryErrorCode {
  return code !== null && Object.prototype.hasOwnProperty.call(LIBRARY_ERROR_MESSAGES, code);
}

/** One sentence for an error shown inline on a page: the console's own for a known code. */
export function describeError(error: unknown, fallback: string): string {
  const code = errorCode(error);
  if (isLibraryCode(code)) return LIBRARY_ERROR_MESSAGES[code];
  if (error instanceof ProblemError) return problemMessage(error.problem);
  if (error instanceof HttpErrorResponse) {
    return error.status === 0 ? UNREACHABLE_MESSAGE : `${fallback} (${error.status})`;
  }
  return fallback;
}

export function statusOf(error: unknown): number | null {
  if (error instanceof ProblemError) return error.status;
  if (error instanceof HttpErrorResponse) return error.status;
  return null;
}
