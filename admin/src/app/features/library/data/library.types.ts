import type { components } from '../../../core/api/schema';
import type { FieldError } from '../../../core/http/problem';

/**
 * Shapes of the prompt library API, aliased from the types generated from docs/openapi.json
 * (`npm run openapi:export && npm run api:generate`), so a backend change is a type error here.
 */
type Schemas = components['schemas'];

export type Prompt = Schemas['PromptResponseDto'];
export type PromptVariable = Schemas['VariableResponseDto'];
export type PromptMetadata = Schemas['PromptMetadataResponseDto'];
export type PromptStatus = Prompt['status'];
export type PromptVisibility = Prompt['visibility'];
export type VariableType = PromptVariable['type'];
/** `GET /prompts/similar`: near-duplicates of a prompt being written. */
export type SimilarPrompts = Schemas['SimilarPromptsResponseDto'];
export type SimilarPrompt = Schemas['SimilarPromptDto'];

/** `{items, nextCursor}` of every list route. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `cost`: the 30-day cost, highest first. */
export type PromptSort = 'updated' | 'created' | 'title' | 'popularity' | 'cost';

/** Query of `GET /prompts` (sent as query parameters). */
export interface PromptFilters {
  tag?: string | null;
  category?: string | null;
  collection?: string | null;
  author?: string | null;
  status?: PromptStatus | null;
  favorite?: boolean;
  /** Prompts whose 30-day cost is in the organization's top 10 %. */
  highCost?: boolean;
  sort: PromptSort;
}

export type PromptInput = Schemas['CreatePromptDto'];
export type PromptUpdate = Schemas['UpdatePromptDto'];

export type VersionSummary = Schemas['VersionSummaryResponseDto'];
export type VersionSnapshot = Schemas['VersionResponseDto'];
export type PromptDiff = Schemas['DiffResponseDto'];
export type DiffHunk = Schemas['HunkDto'];
export type HunkOp = DiffHunk['op'];
export type DiffField = keyof PromptDiff['fields'];
export type LabelMove = Schemas['LabelMoveResponseDto'];
export type RenderResult = Schemas['RenderResponseDto'];

export type TestCase = Schemas['TestCaseResponseDto'];
export type TestCaseInput = Schemas['CreateTestCaseDto'];
/**
 * FieldErrorDto lives outside a `*.dto.ts` file, so the Swagger plugin documents it as an empty
 * object; its real shape is the problem document's `{field, message}`.
 */
export type TestCaseResult = Omit<Schemas['TestCaseResultDto'], 'errors'> & { errors: FieldError[] };
/** `POST /prompts/:id/test-cases/run {version?, label?, caseIds?}`. */
export type TestRun = Omit<Schemas['TestRunResponseDto'], 'results'> & { results: TestCaseResult[] };

/** One case's latest result with the version it ran against (and the label that resolved to it). */
export interface TestCaseRun extends TestCaseResult {
  version: number;
  label: string | null;
}

/** What test cases run against: the current version (neither), a version, or a release label. */
export interface RunTarget {
  version?: number;
  label?: string;
}

export type BulkRequest = Schemas['BulkPromptsDto'];
export type BulkAction = BulkRequest['action'];
export type BulkResult = Schemas['BulkResultDto'];

export type Person = Schemas['PersonDto'];
export type Comment = Schemas['CommentResponseDto'];
export type ActivityEntry = Schemas['ActivityEntryDto'];

export type Tag = Schemas['TagResponseDto'];
export type Category = Schemas['CategoryResponseDto'];
export type Collection = Schemas['CollectionResponseDto'];
export type Member = Schemas['MemberResponseDto'];
