import type { HttpTestingController } from '@angular/common/http/testing';
import type { Collection } from '../../library/data/library.types';
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

/** The organization's collections (a parent and a child), for the "Use template" target picker. */
export const TEMPLATE_COLLECTIONS: Collection[] = [
  {
    id: 'c1',
    name: 'Marketing',
    parentId: null,
    description: null,
    createdById: 'u1',
    promptCount: 0,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  },
  {
    id: 'c2',
    name: 'Ads',
    parentId: 'c1',
    description: null,
    createdById: 'u1',
    promptCount: 0,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  },
];

/** Answers the store's collections request (made for members who may use templates). */
export function flushCollections(backend: HttpTestingController, items = TEMPLATE_COLLECTIONS): void {
  for (const request of backend.match((r) => r.url === '/api/v1/collections'))
    request.flush({ items, nextCursor: null });
}
