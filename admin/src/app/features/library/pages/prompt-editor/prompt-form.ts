import {
  PromptInput,
  PromptMetadata,
  PromptStatus,
  PromptVariable,
  PromptVisibility,
} from '../../data/library.types';

/** Everything the editor edits, in one plain value (compared to detect unsaved changes). */
export interface PromptFormValue {
  title: string;
  slug: string;
  description: string;
  content: string;
  variables: PromptVariable[];
  tags: string[];
  categoryId: string | null;
  collectionId: string | null;
  visibility: PromptVisibility;
  status: PromptStatus;
  model: string;
  temperature: number | null;
  maxTokens: number | null;
}

export const EMPTY_FORM: PromptFormValue = {
  title: '',
  slug: '',
  description: '',
  content: '',
  variables: [],
  tags: [],
  categoryId: null,
  collectionId: null,
  visibility: 'organization',
  status: 'draft',
  model: '',
  temperature: null,
  maxTokens: null,
};

function blankToNull(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The request body for `POST /prompts` (and the field set of `PATCH`). */
export function toPromptInput(value: PromptFormValue): PromptInput {
  const metadata: PromptMetadata = {};
  if (value.model.trim()) metadata.model = value.model.trim();
  const temperature = blankToNull(value.temperature);
  if (temperature !== null) metadata.temperature = temperature;
  const maxTokens = blankToNull(value.maxTokens);
  if (maxTokens !== null) metadata.maxTokens = maxTokens;
  const input: PromptInput = {
    title: value.title.trim(),
    description: value.description.trim(),
    content: value.content,
    variables: value.variables,
    tags: value.tags,
    categoryId: value.categoryId,
    collectionId: value.collectionId,
    visibility: value.visibility,
    status: value.status,
    metadata,
  };
  if (value.slug.trim()) input.slug = value.slug.trim();
  return input;
}

/** The form value for an existing prompt. */
export function fromPrompt(prompt: {
  title: string;
  slug: string;
  description: string;
  content: string;
  variables: PromptVariable[];
  tags: string[];
  categoryId: string | null;
  collectionId: string | null;
  visibility: PromptVisibility;
  status: PromptStatus;
  metadata: PromptMetadata;
}): PromptFormValue {
  return {
    title: prompt.title,
    slug: prompt.slug,
    description: prompt.description ?? '',
    content: prompt.content,
    variables: prompt.variables,
    tags: prompt.tags,
    categoryId: prompt.categoryId,
    collectionId: prompt.collectionId,
    visibility: prompt.visibility,
    status: prompt.status,
    model: prompt.metadata.model ?? '',
    temperature: prompt.metadata.temperature ?? null,
    maxTokens: prompt.metadata.maxTokens ?? null,
  };
}

/** Field-level problems the editor shows before sending (the server checks the same). */
export function validateForm(value: PromptFormValue): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!value.title.trim()) errors['title'] = 'A title is required';
  if (!value.content.trim()) errors['content'] = 'The prompt needs content';
  const temperature = blankToNull(value.temperature);
  if (temperature !== null && (temperature < 0 || temperature > 2)) {
    errors['metadata.temperature'] = 'Temperature is between 0 and 2';
  }
  const maxTokens = blankToNull(value.maxTokens);
  if (maxTokens !== null && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    errors['metadata.maxTokens'] = 'Max tokens is a positive whole number';
  }
  for (const variable of value.variables) {
    if (variable.type === 'select' && !(variable.options?.length ?? 0)) {
      errors[`variables.${variable.name}`] = `Give ${variable.name} at least one option`;
    }
  }
  return errors;
}

/** Order-insensitive comparison of two form values for the unsaved-changes guard. */
export function sameForm(a: PromptFormValue, b: PromptFormValue): boolean {
  return JSON.stringify(toPromptInput(a)) === JSON.stringify(toPromptInput(b));
}
