/**
 * `@e-mail` mentions in a comment: `@alice@example.com`. The `@` must start a word (so the
 * address itself is not read as a mention of its domain), and trailing punctuation is not part
 * of the address. Returns lower-cased, unique addresses in order of appearance.
 */
const MENTION =
  /(?<![\w.%+-])@([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,})/g;

export function extractMentions(content: string): string[] {
  const seen = new Set<string>();
  for (const match of content.matchAll(MENTION)) seen.add(match[1].toLowerCase());
  return [...seen];
}
