/** What the summary of one activity entry is made from. */
export interface SummaryInput {
  action: string;
  /** The actor's display name ("Ada Lovelace"), or null for system work. */
  actor: string | null;
  /** The target's title (prompt title, collection/tag/category name) if known. */
  title: string | null;
  changes: Record<string, unknown> | null;
}

const quoted = (s: string | null | undefined) => (s ? `"${s}"` : 'a deleted item');
const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
const fromTo = (v: unknown): { from: string | null; to: string | null } | null => {
  if (!v || typeof v !== 'object' || !('to' in v)) return null;
  const change = v as { from?: unknown; to: unknown };
  return { from: str(change.from), to: str(change.to) };
};

/** Field names of a prompt as people read them. */
const FIELD_WORDS: Record<string, string> = {
  categoryId: 'category',
  collectionId: 'collection',
};

/**
 * One line a person reads in the activity feed, e.g. `Ada Lovelace moved label "production" of
 * "Summarize ticket" to version 3`. Unknown actions still read sensibly.
 */
export function summarize({ action, actor, title, changes }: SummaryInput): string {
  const who = actor ?? 'The system';
  const c = changes ?? {};
  const what = quoted(title);
  switch (action) {
    case 'prompt.created':
      return `${who} created the prompt ${what}`;
    case 'prompt.updated': {
      const fields = Array.isArray(c.fields)
        ? (c.fields as unknown[]).map(str).filter((f): f is string => !!f)
        : [];
      const list = fields.map((f) => FIELD_WORDS[f] ?? f).join(', ');
      const versioned = fields.some((f) =>
        ['title', 'description', 'content', 'variables', 'metadata'].includes(f),
      );
      const version = str(c.version);
      return `${who} updated the prompt ${what}${list ? ` (${list})` : ''}${versioned && version ? `, now version ${version}` : ''}`;
    }
    case 'prompt.deleted':
      return `${who} deleted the prompt ${what}`;
    case 'prompt.duplicated':
      return `${who} duplicated a prompt as ${what}`;
    case 'prompt.reverted':
      return `${who} reverted the prompt ${what} to version ${str(c.revertedTo) ?? '?'}${str(c.version) ? ` (now version ${str(c.version)})` : ''}`;
    case 'prompt.label_moved': {
      const from = str(c.from);
      return `${who} moved the label "${str(c.label) ?? '?'}" of ${what} ${from ? `from version ${from} ` : ''}to version ${str(c.to) ?? '?'}`;
    }
    case 'prompt.test_case_created':
      return `${who} added the test case "${str(c.name) ?? ''}" to ${what}`;
    case 'prompt.test_case_updated':
      return `${who} changed a test case of ${what}`;
    case 'prompt.test_case_deleted':
      return `${who} removed the test case "${str(c.name) ?? ''}" from ${what}`;
    case 'comment.created':
      return `${who} ${c.parentId ? 'replied to a comment' : 'commented'} on ${what}`;
    case 'comment.updated':
      return `${who} edited a comment on ${what}`;
    case 'comment.deleted':
      return `${who} deleted a comment on ${what}`;
    case 'tag.created':
      return `${who} created the tag ${what}`;
    case 'tag.renamed':
      return `${who} renamed the tag "${str(c.from) ?? '?'}" to "${str(c.to) ?? '?'}"`;
    case 'tag.deleted':
      return `${who} deleted the tag ${what}`;
    case 'category.created':
      return `${who} created the category ${what}`;
    case 'category.updated': {
      const name = fromTo(c.name);
      return name
        ? `${who} renamed the category "${name.from ?? '?'}" to "${name.to ?? '?'}"`
        : `${who} updated the category ${what}`;
    }
    case 'category.deleted':
      return `${who} deleted the category ${what}`;
    case 'collection.created':
      return `${who} created the collection ${what}`;
    case 'collection.updated': {
      const name = fromTo(c.name);
      if (name) return `${who} renamed the collection "${name.from ?? '?'}" to "${name.to ?? '?'}"`;
      if (c.parentId && typeof c.parentId === 'object') return `${who} moved the collection ${what}`;
      return `${who} updated the collection ${what}`;
    }
    case 'collection.deleted':
      return `${who} deleted the collection ${what}`;
    default: {
      const [type, verb] = action.split('.', 2);
      return `${who} ${(verb ?? action).replace(/_/g, ' ')} (${type}) ${what}`;
    }
  }
}
