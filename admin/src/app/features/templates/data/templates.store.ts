import { computed, inject, Injectable, linkedSignal, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import { buildCollectionTree, CollectionNode, flattenTree } from '../../library/data/collection-tree';
import { TaxonomyApi } from '../../library/data/taxonomy.api';
import { TEMPLATE_CATEGORIES } from './template-categories';
import { CreatedPrompt, PromptTemplate, TemplateCategory, TemplatesApi } from './templates.api';

export interface TemplateGroup {
  category: TemplateCategory;
  label: string;
  templates: PromptTemplate[];
}

/**
 * The starter template gallery: the catalogue (loaded once per organization; it is small and
 * static), the category filter and the search text (applied here, as the API does: title,
 * description and content, case-insensitively), and "use" (EDITOR and above). Provided by the
 * templates page; its preview dialog gets it through the page's injector. "Use template" files
 * the new prompt in the target collection chosen on the page or in the preview (none by default).
 */
@Injectable()
export class TemplatesStore {
  private readonly api = inject(TemplatesApi);
  private readonly session = inject(SessionStore);
  private readonly taxonomy = inject(TaxonomyApi);

  readonly canUse = computed(() => this.session.ability().can('create', 'Prompt'));

  readonly templates = rxResource({
    params: () => this.session.organizationId() ?? undefined,
    stream: () => this.api.list(),
  });

  /** The organization's collections, for members who may use templates (the target picker). */
  readonly collections = rxResource({
    params: () => (this.canUse() ? (this.session.organizationId() ?? undefined) : undefined),
    stream: () => this.taxonomy.collections(),
  });
  readonly collectionOptions = computed<CollectionNode[]>(() =>
    flattenTree(buildCollectionTree(this.collections.value() ?? [])),
  );
  /** Where "Use template" files the new prompt (`null`: no collection); reset per organization. */
  readonly targetCollection = linkedSignal<string | undefined, string | null>({
    source: () => this.session.organizationId() ?? undefined,
    computation: () => null,
  });

  /** `null`: every category. */
  readonly category = signal<TemplateCategory | null>(null);
  readonly query = signal('');

  readonly filtered = computed<PromptTemplate[]>(() => {
    const all = this.templates.value() ?? [];
    const category = this.category();
    const q = this.query().trim().toLocaleLowerCase();
    return all.filter(
      (t) =>
        (!category || t.category === category) &&
        (!q || [t.title, t.description, t.content].some((f) => f.toLocaleLowerCase().includes(q))),
    );
  });

  /** The filtered templates by category, in the gallery's category order, empty groups left out. */
  readonly groups = computed<TemplateGroup[]>(() => {
    const filtered = this.filtered();
    return TEMPLATE_CATEGORIES.map(({ id, label }) => ({
      category: id,
      label,
      templates: filtered.filter((t) => t.category === id),
    })).filter((g) => g.templates.length > 0);
  });

  /** How many templates each category has (for the filter chips), whatever the current filter. */
  readonly counts = computed<ReadonlyMap<TemplateCategory, number>>(() => {
    const counts = new Map<TemplateCategory, number>();
    for (const t of this.templates.value() ?? []) counts.set(t.category, (counts.get(t.category) ?? 0) + 1);
    return counts;
  });

  private readonly using = signal<string | null>(null);
  isUsing(template: PromptTemplate): boolean {
    return this.using() === template.id;
  }

  /**
   * Creates a prompt in the organization from the template, in `collectionId` (by default the
   * target collection, if one is chosen); the answer is the new prompt.
   */
  async use(
    template: PromptTemplate,
    collectionId: string | undefined = this.targetCollection() ?? undefined,
  ): Promise<CreatedPrompt> {
    this.using.set(template.id);
    try {
      return await firstValueFrom(this.api.use(template.id, collectionId ? { collectionId } : {}));
    } finally {
      this.using.set(null);
    }
  }
}
