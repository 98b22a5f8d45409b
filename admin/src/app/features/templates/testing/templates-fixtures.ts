import type { PromptTemplate } from '../data/templates.api';

/** Templates as GET /templates answers them, for the store and page specs. */
export const template = (over: Partial<PromptTemplate> & Pick<PromptTemplate, 'id'>): PromptTemplate => ({
  title: 'A template',
  description: 'Does a thing',
  category: 'writing',
  content: 'Summarise {{text}}',
  variables: [{ name: 'text', type: 'text', required: true }],
  metadata: { model: 'gpt-4o', temperature: 0.3, maxTokens: 500 },
  ...over,
});
export const TEMPLATES: PromptTemplate[] = [
  template({ id: 'writing-summary', title: 'Summarise a document' }),
  template({ id: 'coding-review', category: 'coding', title: 'Code review', description: 'Finds bugs' }),
  template({
    id: 'sales-discovery',
    category: 'sales',
    title: 'Discovery call',
    content: 'Ten open questions, SPIN style, about {{text}}',
  }),
  template({ id: 'coding-tests', category: 'coding', title: 'Unit tests', description: 'Edge cases' }),
];
