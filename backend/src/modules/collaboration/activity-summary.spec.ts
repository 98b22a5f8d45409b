import { summarize } from './activity-summary';

describe('activity summaries', () => {
  const base = { actor: 'Ada', title: 'Summarize ticket', changes: null };

  it('describes prompt changes, with the fields and the new version', () => {
    expect(summarize({ ...base, action: 'prompt.created' })).toBe(
      'Ada created the prompt "Summarize ticket"',
    );
    expect(
      summarize({
        ...base,
        action: 'prompt.updated',
        changes: { fields: ['content', 'categoryId'], version: 4 },
      }),
    ).toBe('Ada updated the prompt "Summarize ticket" (content, category), now version 4');
    expect(
      summarize({ ...base, action: 'prompt.updated', changes: { fields: ['status'], version: 3 } }),
    ).toBe('Ada updated the prompt "Summarize ticket" (status)');
    expect(
      summarize({ ...base, action: 'prompt.label_moved', changes: { label: 'production', from: 2, to: 3 } }),
    ).toBe('Ada moved the label "production" of "Summarize ticket" from version 2 to version 3');
    expect(
      summarize({ ...base, action: 'prompt.label_moved', changes: { label: 'staging', from: null, to: 1 } }),
    ).toBe('Ada moved the label "staging" of "Summarize ticket" to version 1');
    expect(summarize({ ...base, action: 'prompt.reverted', changes: { revertedTo: 1, version: 5 } })).toBe(
      'Ada reverted the prompt "Summarize ticket" to version 1 (now version 5)',
    );
    expect(summarize({ ...base, title: null, action: 'prompt.deleted' })).toBe(
      'Ada deleted the prompt a deleted item',
    );
  });

  it('describes comments, replies and taxonomy changes', () => {
    expect(summarize({ ...base, action: 'comment.created', changes: { parentId: null } })).toBe(
      'Ada commented on "Summarize ticket"',
    );
    expect(summarize({ ...base, action: 'comment.created', changes: { parentId: 'x' } })).toBe(
      'Ada replied to a comment on "Summarize ticket"',
    );
    expect(summarize({ ...base, action: 'tag.renamed', changes: { from: 'a', to: 'b' } })).toBe(
      'Ada renamed the tag "a" to "b"',
    );
    expect(
      summarize({ ...base, action: 'category.updated', changes: { name: { from: 'Sales', to: 'Revenue' } } }),
    ).toBe('Ada renamed the category "Sales" to "Revenue"');
    expect(
      summarize({
        ...base,
        title: 'Support',
        action: 'collection.updated',
        changes: { parentId: { from: null, to: 'x' } },
      }),
    ).toBe('Ada moved the collection "Support"');
  });

  it('reads sensibly for system work and unknown actions', () => {
    expect(summarize({ actor: null, title: 'X', changes: null, action: 'prompt.favorited' })).toBe(
      'The system favorited (prompt) "X"',
    );
  });
});
