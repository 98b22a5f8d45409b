import type { TemplateCategory } from './templates.api';

/** The categories in the order the gallery shows them, with their labels. */
export const TEMPLATE_CATEGORIES: readonly { id: TemplateCategory; label: string }[] = [
  { id: 'marketing', label: 'Marketing' },
  { id: 'coding', label: 'Coding' },
  { id: 'support', label: 'Support' },
  { id: 'sales', label: 'Sales' },
  { id: 'hr', label: 'HR' },
  { id: 'data', label: 'Data' },
  { id: 'writing', label: 'Writing' },
];

export const categoryLabel = (id: TemplateCategory): string =>
  TEMPLATE_CATEGORIES.find((c) => c.id === id)?.label ?? id;
