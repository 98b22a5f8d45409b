import type { PromptMetadata, VariableDefinition } from '../prompts/variables';
import { MARKETING } from './catalogue/marketing';
import { CODING } from './catalogue/coding';
import { SUPPORT } from './catalogue/support';
import { SALES } from './catalogue/sales';
import { HR } from './catalogue/hr';
import { DATA } from './catalogue/data';
import { WRITING } from './catalogue/writing';

/**
 * The starter templates: static data, versioned with the code. Ids are stable (clients and the
 * console link to them), so rename a template's title freely but never its id. Every template must
 * pass the same variable rules as `POST /prompts` (`templates.catalogue.spec.ts` checks it).
 * One file per category in `catalogue/`, written with the shorthands of `catalogue/builders.ts`.
 */

export const TEMPLATE_CATEGORIES = [
  'marketing',
  'coding',
  'support',
  'sales',
  'hr',
  'data',
  'writing',
] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export interface PromptTemplate {
  id: string;
  title: string;
  description: string;
  category: TemplateCategory;
  content: string;
  variables: VariableDefinition[];
  metadata: PromptMetadata;
}

export const TEMPLATES: readonly PromptTemplate[] = [
  ...MARKETING,
  ...CODING,
  ...SUPPORT,
  ...SALES,
  ...HR,
  ...DATA,
  ...WRITING,
];
