/**
 * Shapes of the prompt library API (API-CONTRACT.md, "Prompts"). Kept in one place so the
 * switch to the generated schema aliases touches only this file.
 */
export type PromptStatus = 'draft' | 'published' | 'archived';
export type PromptVisibility = 'private' | 'organization';
export type VariableType = 'text' | 'number' | 'boolean' | 'select';
export type PromptSort = 'updated' | 'created' | 'title' | 'popularity';

export interface PromptVariable {
  name: string;
  description?: string | null;
  type: VariableType;
  required: boolean;
  defaultValue?: string | number | boolean | null;
  options?: string[] | null;
}

export interface PromptMetadata {
  model?: string | null;
  temperature?: number | null;
  maxTokens?: number | null;
}

export interface PromptStats {
  views: number;
  uses: number;
  favorites: number;
}

export interface Prompt {
  id: string;
  slug: string;
  title: string;
  description: string;
  content: string;
  variables: PromptVariable[];
  tags: string[];
  categoryId: string | null;
  collectionId: string | null;
  authorId: string | null;
  status: PromptStatus;
  visibility: PromptVisibility;
  metadata: PromptMetadata;
  version: number;
  labels: Record<string, number>;
  stats: PromptStats;
  favorited: boolean;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PromptFilters {
  tag?: string | null;
  category?: string | null;
  collection?: string | null;
  author?: string | null;
  status?: PromptStatus | null;
  favorite?: boolean;
  sort: PromptSort;
}

/** Fields sent on create and update (`PATCH` adds `changeNote` and `expectedVersion`). */
export interface PromptInput {
  slug?: string;
  title: string;
  description?: string;
  content: string;
  variables?: PromptVariable[];
  tags?: string[];
  categoryId?: string | null;
  collectionId?: string | null;
  status?: PromptStatus;
  visibility?: PromptVisibility;
  metadata?: PromptMetadata;
}

export interface PromptUpdate extends Partial<PromptInput> {
  changeNote?: string;
  expectedVersion?: number;
}

export interface VersionSummary {
  version: number;
  title: string;
  changedBy: string | null;
  changeNote: string | null;
  createdAt: string;
}

export interface VersionSnapshot extends VersionSummary {
  description: string;
  content: string;
  variables: PromptVariable[];
  metadata: PromptMetadata;
}

export type HunkOp = 'equal' | 'insert' | 'delete';

export interface DiffHunk {
  op: HunkOp;
  text: string;
}

export type DiffField = 'title' | 'description' | 'content' | 'variables' | 'metadata';

export interface PromptDiff {
  from: number;
  to: number;
  fields: Partial<Record<DiffField, DiffHunk[]>>;
}

export interface LabelMove {
  id?: string;
  label: string;
  fromVersion: number | null;
  toVersion: number;
  movedBy: string | null;
  movedAt: string;
}

export interface RenderResult {
  rendered: string;
  version: number;
}

export interface TestCase {
  id: string;
  name: string;
  variables: Record<string, unknown>;
  expectedContains: string | null;
  createdBy?: string | null;
  createdAt: string;
}

export interface TestCaseInput {
  name: string;
  variables: Record<string, unknown>;
  expectedContains?: string | null;
}

export interface TestCaseResult {
  caseId: string;
  name: string;
  passed: boolean;
  rendered: string | null;
  errors: { field: string; message: string }[];
}

/** `POST /prompts/:id/test-cases/run {version?, label?, caseIds?}`. */
export interface TestRun {
  version: number;
  passed: number;
  failed: number;
  results: TestCaseResult[];
}

/** One case's latest result with the version it ran against. */
export interface TestCaseRun extends TestCaseResult {
  version: number;
}

export type BulkAction = 'tag' | 'untag' | 'move' | 'archive' | 'publish' | 'delete';

export interface BulkRequest {
  ids: string[];
  action: BulkAction;
  tags?: string[];
  collectionId?: string | null;
}

export interface BulkResult {
  succeeded: string[];
  failed: { id: string; status: number; detail: string }[];
}

export interface Person {
  id: string;
  name: string;
  email: string;
}

export interface Comment {
  id: string;
  promptId: string;
  parentId: string | null;
  authorId: string | null;
  author?: Person | null;
  /** Null once deleted (the thread keeps its place for the replies). */
  content: string | null;
  edited?: boolean;
  createdAt: string;
  updatedAt: string;
  deletedAt?: string | null;
}

export interface ActivityEntry {
  id: string;
  occurredAt: string;
  actor: Person | null;
  action: string;
  target: { type: string; id: string; title?: string; promptId?: string };
  summary: string;
}

export interface Tag {
  id: string;
  name: string;
  usage?: number;
}

export interface Category {
  id: string;
  name: string;
  description?: string | null;
}

export interface Collection {
  id: string;
  name: string;
  description?: string | null;
  parentId: string | null;
  createdById?: string | null;
  promptCount?: number;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: string;
}
